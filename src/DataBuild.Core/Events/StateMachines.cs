using DataBuild.Proto;

namespace DataBuild.Events;

/// <summary>
/// The governing state machines of the BEL, as tables, in one place (docs/event-log.md#validation-the-state-machines: the access layer
/// refuses an event that is not a correct next state, and writes nothing of its batch).
/// A missing "from" state means the entity does not exist yet. Every table is read by
/// <see cref="TransitionValidator"/> and nothing else decides what may follow what.
/// </summary>
public static class StateMachines
{
    /// <summary>Build requests, keyed by build_request_id.</summary>
    public static readonly IReadOnlyDictionary<BuildRequestStatus, BuildRequestStatus[]> BuildRequest =
        new Dictionary<BuildRequestStatus, BuildRequestStatus[]>
        {
            [BuildRequestStatus.BuildRequestUnknown] = [BuildRequestStatus.BuildRequestReceived],
            [BuildRequestStatus.BuildRequestReceived] =
                [BuildRequestStatus.BuildRequestPlanning, BuildRequestStatus.BuildRequestFailed, BuildRequestStatus.BuildRequestCancelled],
            [BuildRequestStatus.BuildRequestPlanning] =
                [BuildRequestStatus.BuildRequestAnalysisCompleted, BuildRequestStatus.BuildRequestFailed, BuildRequestStatus.BuildRequestCancelled],
            [BuildRequestStatus.BuildRequestAnalysisCompleted] =
                [BuildRequestStatus.BuildRequestExecuting, BuildRequestStatus.BuildRequestCompleted, BuildRequestStatus.BuildRequestFailed, BuildRequestStatus.BuildRequestCancelled],
            [BuildRequestStatus.BuildRequestExecuting] =
                [BuildRequestStatus.BuildRequestCompleted, BuildRequestStatus.BuildRequestFailed, BuildRequestStatus.BuildRequestCancelled],
            [BuildRequestStatus.BuildRequestCompleted] = [],
            [BuildRequestStatus.BuildRequestFailed] = [],
            [BuildRequestStatus.BuildRequestCancelled] = [],
        };

    /// <summary>Job runs, keyed by job_run_id. A retry or a re-run after missing deps is a new job run.</summary>
    public static readonly IReadOnlyDictionary<JobStatus, JobStatus[]> JobRun =
        new Dictionary<JobStatus, JobStatus[]>
        {
            [JobStatus.JobUnknown] = [JobStatus.JobScheduled],
            [JobStatus.JobScheduled] = [JobStatus.JobRunning, JobStatus.JobFailed, JobStatus.JobCancelled],
            [JobStatus.JobRunning] = [JobStatus.JobCompleted, JobStatus.JobFailed, JobStatus.JobCancelled, JobStatus.JobMissingDeps],
            [JobStatus.JobCompleted] = [],
            [JobStatus.JobFailed] = [],
            [JobStatus.JobCancelled] = [],
            [JobStatus.JobMissingDeps] = [],
        };

    /// <summary>
    /// Partitions, keyed by (build_request_id, partition ref): each request walks its own copy. Across
    /// requests one rule holds on top of this table: a partition is BUILDING in at most one live request
    /// (<see cref="TransitionValidator"/>), which is what makes delegation safe. DELEGATED is entered only
    /// through a DelegationEvent; STALE is derived by the catalog and never written.
    /// </summary>
    public static readonly IReadOnlyDictionary<PartitionStatus, PartitionStatus[]> Partition =
        new Dictionary<PartitionStatus, PartitionStatus[]>
        {
            [PartitionStatus.PartitionUnknown] = [PartitionStatus.PartitionRequested, PartitionStatus.PartitionAnalyzed],
            [PartitionStatus.PartitionRequested] =
                [PartitionStatus.PartitionAnalyzed, PartitionStatus.PartitionDelegated, PartitionStatus.PartitionAvailable, PartitionStatus.PartitionFailed, PartitionStatus.PartitionCancelled],
            [PartitionStatus.PartitionAnalyzed] =
                [PartitionStatus.PartitionBuilding, PartitionStatus.PartitionDelegated, PartitionStatus.PartitionAvailable, PartitionStatus.PartitionFailed, PartitionStatus.PartitionCancelled],
            // Back to ANALYZED: the job reported missing deps and waits for them before its re-run.
            [PartitionStatus.PartitionBuilding] =
                [PartitionStatus.PartitionAvailable, PartitionStatus.PartitionFailed, PartitionStatus.PartitionCancelled, PartitionStatus.PartitionAnalyzed],
            // The delegate finished, failed (we may then build it ourselves), or we gave up.
            [PartitionStatus.PartitionDelegated] =
                [PartitionStatus.PartitionAvailable, PartitionStatus.PartitionFailed, PartitionStatus.PartitionBuilding, PartitionStatus.PartitionDelegated, PartitionStatus.PartitionCancelled],
            // A failed attempt is retried as a new job run, unless another build built it in the meantime.
            [PartitionStatus.PartitionFailed] = [PartitionStatus.PartitionBuilding, PartitionStatus.PartitionAvailable],
            [PartitionStatus.PartitionAvailable] = [],
            [PartitionStatus.PartitionCancelled] = [],
            [PartitionStatus.PartitionStale] = [],
            [PartitionStatus.PartitionMissing] = [],
        };

    /// <summary>Wants, keyed by want_id. SLA_MISSED is recorded once; the want stays active after it.</summary>
    public static readonly IReadOnlyDictionary<WantStatus, WantStatus[]> Want =
        new Dictionary<WantStatus, WantStatus[]>
        {
            [WantStatus.WantUnknown] = [WantStatus.WantCreated],
            [WantStatus.WantCreated] = [WantStatus.WantSatisfied, WantStatus.WantExpired, WantStatus.WantCancelled, WantStatus.WantSlaMissed],
            [WantStatus.WantSlaMissed] = [WantStatus.WantSatisfied, WantStatus.WantExpired, WantStatus.WantCancelled],
            [WantStatus.WantSatisfied] = [],
            [WantStatus.WantExpired] = [],
            [WantStatus.WantCancelled] = [],
        };

    /// <summary>
    /// Backfills, keyed by backfill_id (derived from the templates). STARTED again resumes one: after it ended, or
    /// after a run of it that was killed before it could record its end.
    /// </summary>
    public static readonly IReadOnlyDictionary<BackfillStatus, BackfillStatus[]> Backfill =
        new Dictionary<BackfillStatus, BackfillStatus[]>
        {
            [BackfillStatus.BackfillUnknown] = [BackfillStatus.BackfillStarted],
            [BackfillStatus.BackfillStarted] =
                [BackfillStatus.BackfillStarted, BackfillStatus.BackfillCompleted, BackfillStatus.BackfillFailed, BackfillStatus.BackfillCancelled],
            [BackfillStatus.BackfillCompleted] = [BackfillStatus.BackfillStarted],
            [BackfillStatus.BackfillFailed] = [BackfillStatus.BackfillStarted],
            [BackfillStatus.BackfillCancelled] = [BackfillStatus.BackfillStarted],
        };

    /// <summary>Schedules, keyed by name. A removed name may be added again, as a new schedule with a new schedule_id.</summary>
    public static readonly IReadOnlyDictionary<ScheduleStatus, ScheduleStatus[]> Schedule =
        new Dictionary<ScheduleStatus, ScheduleStatus[]>
        {
            [ScheduleStatus.ScheduleUnknown] = [ScheduleStatus.ScheduleAdded],
            [ScheduleStatus.ScheduleAdded] = [ScheduleStatus.SchedulePaused, ScheduleStatus.ScheduleRemoved],
            [ScheduleStatus.SchedulePaused] = [ScheduleStatus.ScheduleResumed, ScheduleStatus.ScheduleRemoved],
            [ScheduleStatus.ScheduleResumed] = [ScheduleStatus.SchedulePaused, ScheduleStatus.ScheduleRemoved],
            [ScheduleStatus.ScheduleRemoved] = [ScheduleStatus.ScheduleAdded],
        };

    /// <summary>
    /// A build's wait for partitions of an upstream graph, keyed by (build_request_id, partition). Asked again
    /// (REQUESTED, with a new upstream build request) after an outage or when the upstream's build was cancelled.
    /// </summary>
    public static readonly IReadOnlyDictionary<UpstreamStatus, UpstreamStatus[]> Upstream =
        new Dictionary<UpstreamStatus, UpstreamStatus[]>
        {
            [UpstreamStatus.UpstreamUnknown] = [UpstreamStatus.UpstreamRequested],
            [UpstreamStatus.UpstreamRequested] = [UpstreamStatus.UpstreamWaiting, UpstreamStatus.UpstreamUnreachable, UpstreamStatus.UpstreamFailed],
            [UpstreamStatus.UpstreamWaiting] =
                [UpstreamStatus.UpstreamAvailable, UpstreamStatus.UpstreamFailed, UpstreamStatus.UpstreamUnreachable, UpstreamStatus.UpstreamRequested],
            [UpstreamStatus.UpstreamUnreachable] = [UpstreamStatus.UpstreamRequested],
            [UpstreamStatus.UpstreamAvailable] = [],
            [UpstreamStatus.UpstreamFailed] = [],
        };

    public static bool IsTerminal(BuildRequestStatus status) => BuildRequest[status].Length == 0;

    public static bool IsTerminal(JobStatus status) => JobRun[status].Length == 0;

    public static bool IsActive(WantStatus status) => status is WantStatus.WantCreated or WantStatus.WantSlaMissed;

    public static bool Allows<T>(IReadOnlyDictionary<T, T[]> table, T from, T to) where T : struct, Enum =>
        table.TryGetValue(from, out var next) && Array.IndexOf(next, to) >= 0;
}
