using DataBuild.Engine;
using DataBuild.Events;

namespace DataBuild.Cli;

/// <summary>
/// Warns on stderr about the committed events a command's log skips as invalid: the first few one by one, as
/// they are read, then how many more there were, so a log with many never floods the terminal.
/// </summary>
internal sealed class SkippedEventWarnings : IDisposable
{
    private const int Shown = 3;

    private readonly GraphWorkspace _workspace;
    private readonly Lock _gate = new();
    private int _count;

    public SkippedEventWarnings(GraphWorkspace workspace)
    {
        _workspace = workspace;
        workspace.Log.EventSkipped += Report;
    }

    private void Report(SkippedEvent skipped)
    {
        lock (_gate)
        {
            if (++_count <= Shown)
                Console.Error.WriteLine($"databuild: warning: event {skipped.Index} of {_workspace.BelUri} is not a valid next state and is left out: {skipped.Reason}");
        }
    }

    public void Dispose()
    {
        _workspace.Log.EventSkipped -= Report;
        if (_count > Shown)
            Console.Error.WriteLine($"databuild: warning: {_count - Shown} more invalid events of {_workspace.BelUri} are left out; 'databuild verify' lists every one");
    }
}
