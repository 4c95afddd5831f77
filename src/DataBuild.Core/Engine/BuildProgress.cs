namespace DataBuild.Engine;

public enum BuildProgressKind
{
    Planned,
    JobStarted,
    JobSucceeded,
    JobFailed,
    JobRetrying,
    JobMissingDeps,
    JobCancelled,
    Delegated,
    DelegationFinished,
    Recovered,
}

/// <summary>
/// One thing that happened during a build, for the surfaces to show (the CLI's progress line, MSBuild
/// messages). The counts are of tasks (job configs) in the build.
/// </summary>
public sealed record BuildProgress(
    BuildProgressKind Kind,
    string Message,
    string JobLabel = "",
    string JobRunId = "",
    IReadOnlyList<string>? Partitions = null,
    string LogPath = "",
    int Running = 0,
    int Done = 0,
    int Failed = 0,
    int Remaining = 0);
