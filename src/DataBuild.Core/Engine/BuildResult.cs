using DataBuild.Proto;

namespace DataBuild.Engine;

/// <summary>How a build ended.</summary>
public sealed record BuildResult(
    string BuildRequestId,
    BuildRequestStatus Status,
    IReadOnlyList<string> Requested,
    IReadOnlyList<string> FailedPartitions,
    int JobRuns,
    int JobsSkippedAsAvailable,
    int PartitionsDelegated,
    string Message)
{
    public bool Succeeded => Status == BuildRequestStatus.BuildRequestCompleted;
}
