using DataBuild.Proto;
using DataBuild.Rendering;

namespace DataBuild.Cli;

/// <summary>
/// Shows a build as it runs: on a terminal, one line per finished job plus a live status line (running /
/// done / failed / remaining) rewritten in place; otherwise plain timestamped lines, one per event.
/// </summary>
public sealed class ProgressPrinter(TextWriter? writer, bool live) : IProgress<BuildProgress>, IDisposable
{
    private readonly Lock _gate = new();
    private int _statusLength;

    public void Report(BuildProgress value)
    {
        if (writer is null) return;
        lock (_gate)
        {
            ClearStatus();
            var line = ProgressText.Line(value);
            if (line is not null) writer.WriteLine(live ? line : $"[{DateTime.Now:HH:mm:ss}] {line}");
            if (live) WriteStatus(value);
        }
    }

    /// <summary>Removes the live line before the summary is printed.</summary>
    public void Finish()
    {
        if (writer is null) return;
        lock (_gate) ClearStatus();
    }

    public void Dispose() => Finish();

    private void WriteStatus(BuildProgress p)
    {
        var status = ProgressText.Status(p);
        writer!.Write(status);
        writer.Flush();
        _statusLength = status.Length;
    }

    private void ClearStatus()
    {
        if (!live || _statusLength == 0) return;
        writer!.Write("\r" + new string(' ', _statusLength) + "\r");
        _statusLength = 0;
    }
}
