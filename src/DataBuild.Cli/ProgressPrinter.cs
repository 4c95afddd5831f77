using DataBuild.Engine;

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
            var line = Describe(value);
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

    private static string? Describe(BuildProgress p)
    {
        var outputs = p.Partitions is { Count: > 0 } parts ? parts.Count == 1 ? parts[0] : $"{parts[0]} (+{parts.Count - 1} more)" : "";
        return p.Kind switch
        {
            BuildProgressKind.Planned => p.Message,
            BuildProgressKind.Recovered => p.Message,
            BuildProgressKind.JobStarted => $"started  {p.JobLabel} {outputs} (run {p.JobRunId}{(p.Message.Length > 0 ? ", " + p.Message : "")})",
            BuildProgressKind.JobSucceeded => $"built    {p.JobLabel} {outputs} ({p.Message})",
            BuildProgressKind.JobFailed => $"FAILED   {p.JobLabel} {outputs}: {p.Message}" + (p.LogPath.Length > 0 ? $"\n         log: {p.LogPath}" : ""),
            BuildProgressKind.JobRetrying => $"retrying {p.JobLabel} {outputs}: {p.Message} (log: {p.LogPath})",
            BuildProgressKind.JobMissingDeps => $"waiting  {p.JobLabel} {outputs}: {p.Message}",
            BuildProgressKind.JobCancelled => $"cancelled {p.JobLabel} {outputs}",
            BuildProgressKind.Delegated => $"delegated {p.JobLabel}: {p.Message}",
            BuildProgressKind.DelegationFinished => $"built    {p.JobLabel} {outputs} ({p.Message})",
            _ => null,
        };
    }

    private void WriteStatus(BuildProgress p)
    {
        var status = $"[running {p.Running} · done {p.Done} · failed {p.Failed} · remaining {p.Remaining}]";
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
