using DataBuild.Proto;

namespace DataBuild.Rendering;

/// <summary>
/// The words for build progress, in one place for every surface: <see cref="Line"/> for a terminal (the CLI's
/// aligned lines), <see cref="Message"/> for a build log such as MSBuild's (each line self-contained, with the
/// counts), <see cref="Failure"/> for a failed job shown as an error.
/// </summary>
public static class ProgressText
{
    /// <summary>The line the CLI prints, or null for an event it does not show.</summary>
    public static string? Line(BuildProgress p)
    {
        var outputs = Outputs(p);
        return p.Kind switch
        {
            BuildProgressKind.Planned or BuildProgressKind.Recovered => What(p),
            BuildProgressKind.JobStarted => $"started  {p.Job} {outputs} (run {p.JobRunId}{(p.Attempt > 1 ? $", attempt {p.Attempt}" : "")})",
            BuildProgressKind.JobSucceeded => $"built    {p.Job} {outputs} ({Took(p)})",
            BuildProgressKind.JobFailed => $"FAILED   {p.Job} {outputs}: {p.Reason}" + (p.LogPath.Length > 0 ? $"\n         log: {p.LogPath}" : ""),
            BuildProgressKind.JobRetrying => $"retrying {p.Job} {outputs}: {Retry(p)} (log: {p.LogPath})",
            BuildProgressKind.JobMissingDeps => $"waiting  {p.Job} {outputs}: {What(p)}",
            BuildProgressKind.JobCancelled => $"cancelled {p.Job} {outputs}",
            BuildProgressKind.Delegated => $"delegated {p.Job}: {What(p)}",
            BuildProgressKind.DelegationFinished => $"built    {p.Job} {outputs} ({What(p)})",
            BuildProgressKind.UpstreamRequested => $"asking   {p.Upstream} for {outputs} (its build request {p.BuildRequestId})",
            BuildProgressKind.UpstreamUnreachable => $"waiting  {p.Upstream}: {Retry(p)}",
            BuildProgressKind.UpstreamAvailable => $"upstream {outputs} available at {p.Upstream}",
            BuildProgressKind.UpstreamFailed => $"FAILED   upstream {outputs} at {p.Upstream}: {p.Reason}",
            BuildProgressKind.JobAdopted => $"adopted  {p.Job} {outputs} ({Adopted(p)})",
            _ => null,
        };
    }

    /// <summary>The message for a build log, or null for an event it does not show; a failed job is a <see cref="Failure"/> instead.</summary>
    public static string? Message(BuildProgress p)
    {
        var counts = $"[done {p.Done}, failed {p.Failed}, remaining {p.Remaining}]";
        var run = p.JobRunId.Length > 0 ? $" (run {p.JobRunId})" : "";
        var outputs = Outputs(p);
        return p.Kind switch
        {
            BuildProgressKind.Planned or BuildProgressKind.Recovered => $"DataBuild: {What(p)}",
            BuildProgressKind.JobStarted => $"DataBuild: started {p.Job} {outputs}{run}",
            BuildProgressKind.JobSucceeded => $"DataBuild: built {p.Job} {outputs}{run}, {Took(p)} {counts}",
            BuildProgressKind.JobRetrying => $"DataBuild: retrying {p.Job} {outputs}{run}: {Retry(p)}; log: {p.LogPath}",
            BuildProgressKind.JobMissingDeps => $"DataBuild: {p.Job} {outputs}{run} {What(p)}; building them first",
            BuildProgressKind.JobCancelled => $"DataBuild: cancelled {p.Job} {outputs}{run}",
            BuildProgressKind.Delegated => $"DataBuild: {p.Job}: {What(p)}",
            BuildProgressKind.DelegationFinished => $"DataBuild: {p.Job} {outputs} {What(p)} {counts}",
            BuildProgressKind.UpstreamRequested => $"DataBuild: asking {p.Upstream} for {outputs} (its build request {p.BuildRequestId})",
            BuildProgressKind.UpstreamUnreachable => $"DataBuild: cannot reach {p.Upstream}: {Retry(p)}",
            BuildProgressKind.UpstreamAvailable => $"DataBuild: upstream {outputs} available at {p.Upstream} {counts}",
            BuildProgressKind.UpstreamFailed => $"DataBuild: upstream {outputs} failed at {p.Upstream}: {p.Reason}",
            BuildProgressKind.JobAdopted => $"DataBuild: adopted {p.Job} {outputs} ({Adopted(p)})",
            _ => null,
        };
    }

    private static string Adopted(BuildProgress p) =>
        $"run {p.JobRunId} of build request {p.BuildRequestId}, whose owner is gone, is still known to its executor: followed to its end";

    /// <summary>A failed job as one error line: the job, what it was building, its run and log, and why.</summary>
    public static string Failure(BuildProgress p)
    {
        var log = p.LogPath.Length > 0 ? $"; log: {p.LogPath}" : "";
        var run = p.JobRunId.Length > 0 ? $" (run {p.JobRunId})" : "";
        return $"job '{p.Job}' failed to build {Outputs(p)}{run}: {p.Reason}{log}";
    }

    /// <summary>The status line of a live terminal: the task counts.</summary>
    public static string Status(BuildProgress p) => $"[running {p.Running} · done {p.Done} · failed {p.Failed} · remaining {p.Remaining}]";

    private static string Outputs(BuildProgress p) => ListText.FirstAndMore(p.Partitions, 1, more: " (+{0} more)");

    private static string Took(BuildProgress p) => $"done in {p.DurationSeconds:0.0}s";

    private static string Retry(BuildProgress p) => $"{p.Reason}; retrying in {p.RetryDelaySeconds:0.#}s";

    // The sentence for the events whose fields tell a story of their own.
    private static string What(BuildProgress p) => p.Kind switch
    {
        BuildProgressKind.Planned => $"{p.PlannedJobRuns} job runs planned for {p.RequestedPartitions} requested partitions",
        BuildProgressKind.Recovered => $"closed build request {p.BuildRequestId}: its owner is gone",
        BuildProgressKind.JobMissingDeps => $"reported missing dependencies: {string.Join(", ", p.MissingDeps)}",
        BuildProgressKind.Delegated => $"waiting for another build of {string.Join(", ", p.Partitions)}",
        BuildProgressKind.DelegationFinished => "built by another build",
        _ => "",
    };
}
