using DataBuild.Proto;
using DataBuild.Refs;

namespace DataBuild.Events;

/// <summary>
/// Holds the current state of every build request, job run, partition (per request) and want, and decides
/// whether an event is a correct next state according to <see cref="StateMachines"/>. Events are checked
/// and applied one by one; a batch that fails part-way is undone whole, so the state always matches what
/// the log holds. Every check of an event comes before its first change of state, so a refused event changes
/// nothing: committed events, read one at a time, need no undo (reading is a hot path, and an undo step is
/// an allocation).
/// </summary>
internal sealed partial class TransitionValidator
{
    private sealed class RunState(string buildRequestId, string label, HashSet<string> targets)
    {
        public string BuildRequestId { get; } = buildRequestId;
        public string Label { get; } = label;
        public HashSet<string> Targets { get; } = targets;
        public JobStatus Status { get; set; } = JobStatus.JobUnknown;
    }

    private sealed class RequestState
    {
        public BuildRequestStatus Status { get; set; } = BuildRequestStatus.BuildRequestUnknown;
        public Dictionary<string, PartitionStatus> Partitions { get; } = new(StringComparer.Ordinal);
        public HashSet<string> Building { get; } = new(StringComparer.Ordinal);
        public HashSet<string> LiveRuns { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, UpstreamStatus> Upstreams { get; } = new(StringComparer.Ordinal);
        // Every run it scheduled, dropped from the validator when it finishes (an undone batch may leave an id of a
        // run that no longer exists, or that another request made since: both are skipped then).
        public List<string> Runs { get; } = [];
    }

    private readonly Dictionary<string, RequestState> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunState> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string BuildRequestId, string JobRunId)> _building = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WantStatus> _wants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _builtAt = new(StringComparer.Ordinal);
    private readonly List<Action> _undo = [];
    private bool _recording;
    private long _index;

    /// <summary>
    /// Checks and applies <paramref name="events"/> in order, the first taking log index
    /// <paramref name="firstIndex"/>; on the first refusal undoes the whole batch and throws.
    /// </summary>
    public void ApplyBatch(IReadOnlyList<BuildEvent> events, long firstIndex)
    {
        _undo.Clear();
        _recording = true;
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                _index = firstIndex + i;
                Apply(events[i]);
            }
        }
        catch
        {
            Undo();
            throw;
        }
        finally
        {
            _recording = false;
        }
    }

    /// <summary>Undoes the last batch, for when its write failed after it was validated.</summary>
    public void Undo()
    {
        for (var i = _undo.Count - 1; i >= 0; i--) _undo[i]();
        _undo.Clear();
    }

    /// <summary>
    /// Applies an event that is already committed (written by another process, an older version, or by hand).
    /// A refusal here is not thrown, since it would wedge every later writer: the event changes nothing and its
    /// refusal is returned, for the caller to report and to keep out of the views.
    /// </summary>
    public InvalidEventException? ApplyCommitted(BuildEvent e, long index)
    {
        _undo.Clear();
        _index = index;
        try
        {
            Apply(e);
            return null;
        }
        catch (InvalidEventException refused)
        {
            return refused;
        }
    }

    /// <summary>
    /// The first of <paramref name="partitions"/> that a job run made AVAILABLE at a log index after
    /// <paramref name="sinceIndex"/>, with that index; null when none was.
    /// </summary>
    public (string Partition, long Index)? BuiltAfter(IEnumerable<string> partitions, long sinceIndex)
    {
        foreach (var partition in partitions)
            if (_builtAt.TryGetValue(partition, out var index) && index > sinceIndex) return (partition, index);
        return null;
    }

    private void Apply(BuildEvent e)
    {
        if (string.IsNullOrEmpty(e.EventId)) throw Refuse("event", "-", e.EventTypeCase.ToString(), "event_id is required");
        if (e.SchemaVersion > EventSchema.CurrentVersion)
            throw Refuse($"event {e.EventId}", "-", $"schema version {e.SchemaVersion}", $"this DataBuild writes schema version {EventSchema.CurrentVersion}; upgrade it");
        switch (e.EventTypeCase)
        {
            case BuildEvent.EventTypeOneofCase.BuildRequestEvent: ApplyBuildRequest(e); break;
            case BuildEvent.EventTypeOneofCase.PartitionEvent: ApplyPartition(e); break;
            case BuildEvent.EventTypeOneofCase.JobEvent: ApplyJob(e); break;
            case BuildEvent.EventTypeOneofCase.DelegationEvent: ApplyDelegation(e); break;
            case BuildEvent.EventTypeOneofCase.JobGraphEvent:
            case BuildEvent.EventTypeOneofCase.HeartbeatEvent:
                LiveRequest(e, "event", e.EventId);
                break;
            case BuildEvent.EventTypeOneofCase.WantEvent: ApplyWant(e.WantEvent); break;
            case BuildEvent.EventTypeOneofCase.BackfillEvent: ApplyBackfill(e.BackfillEvent); break;
            case BuildEvent.EventTypeOneofCase.ScheduleEvent: ApplySchedule(e.ScheduleEvent); break;
            case BuildEvent.EventTypeOneofCase.UpstreamEvent: ApplyUpstream(e); break;
            case BuildEvent.EventTypeOneofCase.InvalidationEvent: ApplyInvalidation(e); break;
            default: throw Refuse($"event {e.EventId}", "-", "an event without a payload", "set one of the event types");
        }
    }

    private void ApplyBuildRequest(BuildEvent e)
    {
        var id = RequireRequestId(e);
        var to = e.BuildRequestEvent.Status;
        _requests.TryGetValue(id, out var request);
        var from = request?.Status ?? BuildRequestStatus.BuildRequestUnknown;
        if (!StateMachines.Allows(StateMachines.BuildRequest, from, to))
            throw Refuse($"build request {id}", Name(from), Name(to), "not a valid next state");
        if (e.BuildRequestEvent.BackfillId.Length > 0) CheckBackfillChunk(id, e.BuildRequestEvent.BackfillId);
        var finishing = StateMachines.IsTerminal(to);
        if (finishing && request is not null)
        {
            if (request.Building.Count > 0)
                throw Refuse($"build request {id}", Name(from), Name(to), $"partition {request.Building.First()} is still BUILDING; finish or cancel it first");
            if (request.LiveRuns.Count > 0)
                throw Refuse($"build request {id}", Name(from), Name(to), $"job run {request.LiveRuns.First()} has not finished; finish or cancel it first");
        }
        if (request is null)
        {
            if (_recording) _undo.Add(RestoreEntry(_requests, id));
            request = new RequestState();
            _requests[id] = request;
        }
        if (_recording) _undo.Add(RestoreRequest(request, finishing));
        request.Status = to;
        // A finished request takes no more events, so its per-partition states and its runs are dropped to keep
        // memory (and the snapshot) flat. Events name only the runs of their own live request, so no later event
        // needs them; a run id reused by a later request is not refused for it (ids are UUIDv7, never reused).
        if (finishing)
        {
            request.Partitions.Clear();
            request.Upstreams.Clear();
            foreach (var runId in request.Runs)
            {
                if (!_runs.TryGetValue(runId, out var run) || run.BuildRequestId != id) continue;
                if (_recording) _undo.Add(RestoreEntry(_runs, runId));
                _runs.Remove(runId);
            }
            request.Runs.Clear();
        }
    }

    private void ApplyPartition(BuildEvent e)
    {
        var p = e.PartitionEvent;
        var partition = p.PartitionRef?.Str ?? "";
        var problem = PartitionRefs.Problem(partition);
        if (problem is not null) throw Refuse(Entity(), "-", Name(p.Status), problem);
        var request = LiveRequest(e, "partition", partition);
        var from = request.Partitions.GetValueOrDefault(partition, PartitionStatus.PartitionUnknown);
        var to = p.Status;
        if (to == PartitionStatus.PartitionDelegated)
            throw Refuse(Entity(), Name(from), Name(to), "delegation is recorded with a DelegationEvent naming the build request delegated to");
        if (to is PartitionStatus.PartitionStale or PartitionStatus.PartitionMissing or PartitionStatus.PartitionUnknown)
            throw Refuse(Entity(), Name(from), Name(to), "this status is never written");
        if (!StateMachines.Allows(StateMachines.Partition, from, to))
            throw Refuse(Entity(), Name(from), Name(to), $"not a valid next state in build request {e.BuildRequestId}");
        if (to == PartitionStatus.PartitionBuilding) CheckBuilding(e, partition, from);
        if (to == PartitionStatus.PartitionAvailable) CheckAvailable(p.JobRunId, partition, from);

        if (to == PartitionStatus.PartitionBuilding)
        {
            if (_recording) _undo.Add(RestoreEntry(_building, partition));
            _building[partition] = (e.BuildRequestId, p.JobRunId);
            if (_recording) _undo.Add(RestoreMember(request.Building, partition));
            request.Building.Add(partition);
        }
        if (to == PartitionStatus.PartitionAvailable && p.JobRunId.Length > 0) RecordBuilt(partition);
        if (from == PartitionStatus.PartitionBuilding)
        {
            if (_recording) _undo.Add(RestoreEntry(_building, partition));
            _building.Remove(partition);
            if (_recording) _undo.Add(RestoreMember(request.Building, partition));
            request.Building.Remove(partition);
        }
        SetPartition(request, partition, to);

        string Entity() => $"partition {partition}";
    }

    private void CheckBuilding(BuildEvent e, string partition, PartitionStatus from)
    {
        var runId = e.PartitionEvent.JobRunId;
        if (string.IsNullOrEmpty(runId) || !_runs.TryGetValue(runId, out var run))
            throw Refuse($"partition {partition}", Name(from), "PARTITION_BUILDING", $"job_run_id '{runId}' names no scheduled job run");
        if (run.BuildRequestId != e.BuildRequestId || !run.Targets.Contains(partition) || StateMachines.IsTerminal(run.Status))
            throw Refuse($"partition {partition}", Name(from), "PARTITION_BUILDING", $"job run {runId} is not a live run of build request {e.BuildRequestId} targeting it");
        if (_building.TryGetValue(partition, out var owner))
            throw new PartitionAlreadyBuildingException(partition, Name(from), owner.BuildRequestId, owner.JobRunId);
    }

    private void CheckAvailable(string runId, string partition, PartitionStatus from)
    {
        const string available = "PARTITION_AVAILABLE";
        if (runId.Length > 0 && (!_runs.TryGetValue(runId, out var producer) || producer.Status != JobStatus.JobCompleted || !producer.Targets.Contains(partition)))
            throw Refuse($"partition {partition}", Name(from), available, $"job run {runId} has not completed a run targeting it");
        if (from == PartitionStatus.PartitionBuilding)
        {
            var owner = _building[partition];
            if (runId != owner.JobRunId)
                throw Refuse($"partition {partition}", Name(from), available, $"it is being built by job run {owner.JobRunId}, not '{runId}'");
            if (_runs[owner.JobRunId].Status != JobStatus.JobCompleted)
                throw Refuse($"partition {partition}", Name(from), available, $"job run {owner.JobRunId} has not completed");
        }
        // Without a job run, AVAILABLE records data found built already (by this log's job runs): it cannot make data appear.
        if (runId.Length == 0 && !_builtAt.ContainsKey(partition))
            throw Refuse($"partition {partition}", Name(from), available, "no job run named and no job run of this log has built it");
    }

    private void ApplyJob(BuildEvent e)
    {
        var j = e.JobEvent;
        var runId = j.JobRunId;
        if (string.IsNullOrEmpty(runId)) throw Refuse("job run", "-", Name(j.Status), "job_run_id is required");
        var label = j.JobLabel?.Label ?? "";
        if (label.Length == 0) throw Refuse(Entity(), "-", Name(j.Status), "job_label is required");
        var request = LiveRequest(e, "job run", runId);
        _runs.TryGetValue(runId, out var run);
        var from = run?.Status ?? JobStatus.JobUnknown;
        if (!StateMachines.Allows(StateMachines.JobRun, from, j.Status))
            throw Refuse(Entity(), Name(from), Name(j.Status), "not a valid next state");
        if (run is not null && (run.BuildRequestId != e.BuildRequestId || run.Label != label))
            throw Refuse(Entity(), Name(from), Name(j.Status), $"it belongs to job {run.Label} in build request {run.BuildRequestId}");
        if (run is null)
        {
            if (j.TargetPartitions.Count == 0) throw Refuse(Entity(), Name(from), Name(j.Status), "target_partitions must not be empty");
            var targets = new HashSet<string>(j.TargetPartitions.Count, StringComparer.Ordinal);
            foreach (var target in j.TargetPartitions)
            {
                var problem = PartitionRefs.Problem(target.Str);
                if (problem is not null) throw Refuse(Entity(), Name(from), Name(j.Status), $"target '{target.Str}': {problem}");
                targets.Add(target.Str);
            }
            if (_recording) _undo.Add(RestoreEntry(_runs, runId));
            run = new RunState(e.BuildRequestId, label, targets);
            _runs[runId] = run;
            request.Runs.Add(runId);
        }
        if (_recording) _undo.Add(RestoreStatus(run));
        run.Status = j.Status;
        var live = !StateMachines.IsTerminal(j.Status);
        if (request.LiveRuns.Contains(runId) != live)
        {
            if (_recording) _undo.Add(RestoreMember(request.LiveRuns, runId));
            if (live) request.LiveRuns.Add(runId);
            else request.LiveRuns.Remove(runId);
        }

        string Entity() => $"job run {runId}";
    }

    private void ApplyDelegation(BuildEvent e)
    {
        var d = e.DelegationEvent;
        var partition = d.PartitionRef?.Str ?? "";
        var entity = $"partition {partition}";
        var problem = PartitionRefs.Problem(partition);
        if (problem is not null) throw Refuse(entity, "-", "PARTITION_DELEGATED", problem);
        var request = LiveRequest(e, "partition", partition);
        var from = request.Partitions.GetValueOrDefault(partition, PartitionStatus.PartitionUnknown);
        if (string.IsNullOrEmpty(d.DelegatedToBuildRequestId) || d.DelegatedToBuildRequestId == e.BuildRequestId)
            throw Refuse(entity, Name(from), "PARTITION_DELEGATED", "delegated_to_build_request_id must name another build request");
        if (!StateMachines.Allows(StateMachines.Partition, from, PartitionStatus.PartitionDelegated))
            throw Refuse(entity, Name(from), "PARTITION_DELEGATED", $"not a valid next state in build request {e.BuildRequestId}");
        SetPartition(request, partition, PartitionStatus.PartitionDelegated);
    }

    private void ApplyWant(WantEvent w)
    {
        if (string.IsNullOrEmpty(w.WantId)) throw Refuse("want", "-", Name(w.Status), "want_id is required");
        var entity = $"want {w.WantId}";
        var from = _wants.GetValueOrDefault(w.WantId, WantStatus.WantUnknown);
        if (!StateMachines.Allows(StateMachines.Want, from, w.Status))
            throw Refuse(entity, Name(from), Name(w.Status), "not a valid next state");
        if (w.Status == WantStatus.WantCreated)
        {
            if (w.Partitions.Count == 0) throw Refuse(entity, Name(from), Name(w.Status), "a want names at least one partition");
            foreach (var partition in w.Partitions)
            {
                var problem = PartitionRefs.Problem(partition.Str);
                if (problem is not null) throw Refuse(entity, Name(from), Name(w.Status), $"partition '{partition.Str}': {problem}");
            }
            if (w.TtlSeconds < 0 || w.SlaSeconds < 0) throw Refuse(entity, Name(from), Name(w.Status), "ttl and sla must not be negative");
            if (w.ParentWantId.Length > 0 && !_wants.ContainsKey(w.ParentWantId))
                throw Refuse(entity, Name(from), Name(w.Status), $"parent want {w.ParentWantId} does not exist");
            if (w.ScheduleId.Length > 0) CheckScheduledWant(w, entity);
        }
        if (_recording) _undo.Add(RestoreEntry(_wants, w.WantId));
        _wants[w.WantId] = w.Status;
    }

    private void RecordBuilt(string partition)
    {
        if (_recording) _undo.Add(RestoreEntry(_builtAt, partition));
        _builtAt[partition] = _index;
    }

    private void SetPartition(RequestState request, string partition, PartitionStatus to)
    {
        if (_recording) _undo.Add(RestoreEntry(request.Partitions, partition));
        request.Partitions[partition] = to;
    }

    // Undo steps, each taken just before the change it reverts. They are built in methods of their own so
    // that the closures are allocated only when a batch records them.
    private static Action RestoreEntry<TValue>(Dictionary<string, TValue> map, string key)
    {
        var had = map.TryGetValue(key, out var before);
        return () =>
        {
            if (had) map[key] = before!;
            else map.Remove(key);
        };
    }

    private static Action RestoreMember(HashSet<string> set, string item)
    {
        var had = set.Contains(item);
        return () =>
        {
            if (had) set.Add(item);
            else set.Remove(item);
        };
    }

    private static Action RestoreStatus(RunState run)
    {
        var before = run.Status;
        return () => run.Status = before;
    }

    private static Action RestoreRequest(RequestState request, bool clearingPartitions)
    {
        var before = request.Status;
        var partitions = clearingPartitions ? request.Partitions.ToArray() : [];
        var upstreams = clearingPartitions ? request.Upstreams.ToArray() : [];
        var runs = clearingPartitions ? request.Runs.ToArray() : [];
        return () =>
        {
            request.Status = before;
            foreach (var (partition, status) in partitions) request.Partitions[partition] = status;
            foreach (var (partition, status) in upstreams) request.Upstreams[partition] = status;
            if (runs.Length > 0) request.Runs.AddRange(runs);
        };
    }

    private RequestState LiveRequest(BuildEvent e, string entityKind, string entityKey)
    {
        var id = RequireRequestId(e);
        if (!_requests.TryGetValue(id, out var request))
            throw Refuse($"{entityKind} {entityKey}", "-", e.EventTypeCase.ToString(), $"build request {id} was never received");
        if (StateMachines.IsTerminal(request.Status))
            throw Refuse($"{entityKind} {entityKey}", "-", e.EventTypeCase.ToString(), $"build request {id} is already {Name(request.Status)}");
        return request;
    }

    private static string RequireRequestId(BuildEvent e) =>
        string.IsNullOrEmpty(e.BuildRequestId)
            ? throw Refuse($"event {e.EventId}", "-", e.EventTypeCase.ToString(), "build_request_id is required")
            : e.BuildRequestId;

    private static InvalidEventException Refuse(string entity, string current, string refused, string reason) =>
        new(entity, current, refused, reason);

    /// <summary>The proto enum name (e.g. PARTITION_BUILDING), as users see it in --json output.</summary>
    internal static string Name<T>(T value) where T : struct, Enum => ProtoNames.Of(value);
}
