using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Views;
using DataBuild.Wants;

namespace DataBuild.Service.Api;

/// <summary>The API's messages from the views' records: a mapping only, every decision is Core's.</summary>
internal static class ApiMessages
{
    public static PartitionDetail Partition(PartitionState state, GraphLookup lookup)
    {
        var detail = new PartitionDetail
        {
            PartitionRef = state.Ref,
            Status = state.Status,
            BuildRequestId = state.BuildRequestId,
            JobRunId = state.JobRunId,
            Message = state.Message,
            StaleReason = state.StaleReason,
            LastIndex = state.LastIndex,
            LastBuiltAt = state.LastBuilt?.Timestamp ?? 0,
            FailedBuilds = state.Failures?.Count ?? 0,
            JobLabel = JobOf(lookup, state.Ref),
        };
        return detail;
    }

    /// <summary>A partition the log never mentioned: not built, with the job that would build it.</summary>
    public static PartitionDetail Unknown(string partitionRef, GraphLookup lookup) => new()
    {
        PartitionRef = partitionRef,
        Status = PartitionStatus.PartitionUnknown,
        JobLabel = JobOf(lookup, partitionRef),
    };

    private static string JobOf(GraphLookup lookup, string partitionRef)
    {
        try
        {
            return lookup.Match(partitionRef).Job.Label;
        }
        catch (LookupException)
        {
            return "";
        }
    }

    /// <summary>Adds what the run that last built the partition read, and what was last built from it (Core's <see cref="Lineage"/>).</summary>
    public static void AddLineage(PartitionDetail detail, PartitionState state, BuildEventViews views)
    {
        var lineage = Lineage.Of(views, state);
        detail.Upstreams.AddRange(lineage.Upstreams);
        detail.Downstreams.AddRange(lineage.Downstreams);
    }

    public static JobRunDetail Run(JobRunInfo run)
    {
        var detail = new JobRunDetail
        {
            JobRunId = run.JobRunId,
            JobLabel = run.JobLabel,
            BuildRequestId = run.BuildRequestId,
            Status = run.Status,
            Attempt = run.Attempt,
            ExitCode = run.ExitCode,
            DurationMs = run.DurationMs,
            ScheduledAt = run.ScheduledAt,
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            Message = run.Message,
            JobVersion = run.JobVersion,
            Config = run.Config,
        };
        detail.Targets.AddRange(run.Targets);
        detail.MissingDeps.AddRange(run.MissingDeps);
        return detail;
    }

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
        };
        detail.RequestedPartitions.AddRange(request.RequestedPartitions);
        return detail;
    }

    public static WantDetail Want(WantReport report)
    {
        var w = report.Want;
        var detail = new WantDetail
        {
            WantId = w.WantId,
            State = report.State.ToString().ToLowerInvariant(),
            Sla = report.Sla switch
            {
                SlaState.OnTime => "on_time",
                SlaState.AtRisk => "at_risk",
                SlaState.Missed => "missed",
                _ => "none",
            },
            Failing = report.Failing,
            Note = report.Note,
            ParentWantId = w.ParentWantId,
            RootWantId = w.RootWantId,
            TtlSeconds = w.TtlSeconds,
            SlaSeconds = w.SlaSeconds,
            CreatedAt = Nanos(w.CreatedAt),
            ExpiresAt = Nanos(w.ExpiresAt),
            SlaDeadline = Nanos(w.SlaDeadline),
            EndedAt = Nanos(w.EndedAt),
            Message = w.Message,
            RequestedBy = w.RequestedBy,
            Reason = w.Reason,
            BuildRequestId = w.BuildRequestId,
        };
        detail.Partitions.AddRange(w.Partitions);
        detail.Missing.AddRange(report.Missing);
        return detail;
    }

    private static long Nanos(DateTimeOffset? time) => time is { } t ? BuildEventLog.UnixNanos(t) : 0;
}
