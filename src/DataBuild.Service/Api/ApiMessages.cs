using DataBuild.Proto;
using DataBuild.Reports;
using DataBuild.Views;

namespace DataBuild.Service.Api;

/// <summary>
/// The API's own messages from the views' records: a mapping only, every decision is Core's. A partition, a job run and
/// a want are Core's <see cref="DetailMessages"/>, shared with the CLI.
/// </summary>
internal static class ApiMessages
{
    public static BuildRequestDetail Build(BuildRequestSummary request, bool runningInService)
    {
        var detail = new BuildRequestDetail
        {
            BuildRequestId = request.BuildRequestId,
            Status = request.Status,
            Message = request.Message,
            ReceivedAt = request.ReceivedAt,
            RequestedBy = request.RequestedBy,
            FinishedAt = request.FinishedAt,
            JobsCompleted = request.JobsCompleted,
            JobsFailed = request.JobsFailed,
            JobsCancelled = request.JobsCancelled,
            JobsMissingDeps = request.JobsMissingDeps,
            PartitionsDelegated = request.PartitionsDelegated,
            RunningInService = runningInService,
            BackfillId = request.BackfillId,
        };
        detail.RequestedPartitions.AddRange(request.RequestedPartitions);
        return detail;
    }
}
