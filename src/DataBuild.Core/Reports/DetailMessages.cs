using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Views;
using DataBuild.Wants;

namespace DataBuild.Reports;

/// <summary>
/// The messages of databuild.proto for one partition, job run or want, from the views' records: the one mapping the
/// CLI's --json and the service's API share (docs/architecture.md, "Progress and results"). Every decision is the
/// views'; this only copies, turning times into Unix nanoseconds.
/// </summary>
public static class DetailMessages
{
    /// <param name="presence">
    /// When given, a built partition whose declared location is gone is shown MISSING; given one with the catalog
    /// (<see cref="BuildEngine.NewPresenceCheck"/>), an AVAILABLE one with a recorded upstream gone is shown STALE, as a
    /// build would rebuild it.
    /// </param>
    public static PartitionDetail Partition(PartitionState state, GraphLookup lookup, BuildEventViews views, OutputPresence? presence = null)
    {
        var missing = state.Status is PartitionStatus.PartitionAvailable or PartitionStatus.PartitionStale ? presence?.Missing(state.Ref) ?? "" : "";
        var detail = Built(state, lookup, views);
        detail.Location = presence?.LocationOf(state.Ref) ?? "";
        detail.Missing = missing;
        if (missing.Length > 0) detail.Status = PartitionStatus.PartitionMissing;
        else if (state.Status == PartitionStatus.PartitionAvailable && presence?.MissingUpstream(state.Ref) is { } upstream)
        {
            detail.Status = PartitionStatus.PartitionStale;
            detail.StaleReason = $"upstream {upstream} is missing";
        }
        return detail;
    }

    private static PartitionDetail Built(PartitionState state, GraphLookup lookup, BuildEventViews views) => new()
    {
        BackfillId = views.Requests.Get(state.BuildRequestId)?.BackfillId ?? "",
        PartitionRef = state.Ref,
        Status = state.Status,
        BuildRequestId = state.BuildRequestId,
        JobRunId = state.JobRunId,
        Message = state.Message,
        StaleReason = state.StaleReason,
        CompatibleChange = state.CompatibleChange,
        LastIndex = state.LastIndex,
        LastBuiltAt = state.LastBuilt?.Timestamp ?? 0,
        FailedBuilds = state.Failures?.Count ?? 0,
        JobLabel = JobOf(lookup, state.Ref),
    };

    /// <summary>A partition the log never mentioned: not built, with the job that would build it.</summary>
    public static PartitionDetail Unknown(string partitionRef, GraphLookup lookup) => new()
    {
        PartitionRef = partitionRef,
        Status = PartitionStatus.PartitionUnknown,
        JobLabel = JobOf(lookup, partitionRef),
    };

    /// <summary>One partition with what the run that last built it read, and what was last built from it (<see cref="Lineage"/>).</summary>
    public static PartitionDetail WithLineage(PartitionState state, GraphLookup lookup, BuildEventViews views, OutputPresence? presence = null)
    {
        var detail = Partition(state, lookup, views, presence);
        var lineage = Lineage.Of(views, state);
        detail.Upstreams.AddRange(lineage.Upstreams);
        detail.Downstreams.AddRange(lineage.Downstreams);
        return detail;
    }

    // The label only: no captures, no exception for a ref no job (or several) produces; a listing calls it per row.
    private static string JobOf(GraphLookup lookup, string partitionRef) => lookup.TryMatch(partitionRef)?.Job.Label ?? "";

    /// <summary>A job run, with its log's path in <paramref name="workspace"/>'s log folder (derived from the id, never read from the log).</summary>
    public static JobRunDetail Run(JobRunInfo run, GraphWorkspace workspace)
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
            CodeKey = run.CodeKey,
            Config = run.Config,
            Submission = run.Submission,
            LogPath = JobRunLogs.IsWellFormedId(run.JobRunId) ? workspace.JobRunLogPath(run.JobRunId) : "",
        };
        detail.Targets.AddRange(run.Targets);
        detail.MissingDeps.AddRange(run.MissingDeps);
        return detail;
    }

    public static WantDetail Want(WantReport report)
    {
        var w = report.Want;
        var detail = new WantDetail
        {
            WantId = w.WantId,
            State = StateName(report.State),
            Sla = SlaName(report.Sla),
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
            SlaMissedAt = Nanos(w.SlaMissedAt),
            SlaMissedMessage = w.SlaMissedMessage,
            SlaAtRiskAt = Nanos(WantReport.AtRiskAt(w)),
        };
        detail.Partitions.AddRange(w.Partitions);
        detail.Missing.AddRange(report.Missing);
        return detail;
    }

    /// <summary>A want's state as <see cref="WantDetail.State"/> spells it: active, satisfied, expired, cancelled.</summary>
    public static string StateName(WantState state) => state.ToString().ToLowerInvariant();

    /// <summary>An SLA state as <see cref="WantDetail.Sla"/> spells it: none, on_time, at_risk, missed.</summary>
    public static string SlaName(SlaState sla) => sla switch
    {
        SlaState.OnTime => "on_time",
        SlaState.AtRisk => "at_risk",
        SlaState.Missed => "missed",
        _ => "none",
    };

    internal static long Nanos(DateTimeOffset? time) => time is { } t ? BuildEventLog.UnixNanos(t) : 0;
}
