using DataBuild.Proto;
using DataBuild.Refs;

namespace DataBuild.Events;

/// <summary>
/// Holds the current state of every build request, job run, partition (per request) and want, and decides
/// whether an event is a correct next state according to <see cref="StateMachines"/>. Events are checked
/// and applied one by one; a batch that fails part-way is undone whole, so the state always matches what
/// the log holds.
/// </summary>
internal sealed class TransitionValidator
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
    }

    private readonly Dictionary<string, RequestState> _requests = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RunState> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string BuildRequestId, string JobRunId)> _building = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WantStatus> _wants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _builtAt = new(StringComparer.Ordinal);
    private readonly List<Action> _undo = [];
    private long _index;

    /// <summary>
    /// Checks and applies <paramref name="events"/> in order, the first taking log index
    /// <paramref name="firstIndex"/>; on the first refusal undoes the whole batch and throws.
    /// </summary>
    public void ApplyBatch(IReadOnlyList<BuildEvent> events, long firstIndex)
    {
        _undo.Clear();
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
    }

    /// <summary>Undoes the last batch, for when its write failed after it was validated.</summary>
    public void Undo()
    {
        for (var i = _undo.Count - 1; i >= 0; i--) _undo[i]();
        _undo.Clear();
    }

    /// <summary>
    /// Applies events that are already committed (written by another process, or by an older version). They
    /// are taken as facts: a refusal here would wedge every later writer, so it is skipped, not thrown.
    /// </summary>
    public void ApplyCommitted(BuildEvent e, long index)
    {
        _undo.Clear();
        _index = index;
        try
        {
            Apply(e);
        }
        catch (InvalidEventException)
        {
            Undo();
        }
        _undo.Clear();
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
                LiveRequest(e, e.EventTypeCase.ToString());
                break;
            case BuildEvent.EventTypeOneofCase.WantEvent: ApplyWant(e.WantEvent); break;
            default: throw Refuse($"event {e.EventId}", "-", "an event without a payload", "set one of the event types");
        }
    }

    private void ApplyBuildRequest(BuildEvent e)
    {
        var id = RequireRequestId(e);
        var to = e.BuildRequestEvent.Status;
        var exists = _requests.TryGetValue(id, out var request);
        var from = exists ? request!.Status : BuildRequestStatus.BuildRequestUnknown;
        if (!StateMachines.Allows(StateMachines.BuildRequest, from, to))
            throw Refuse($"build request {id}", Name(from), Name(to), "not a valid next state");
        if (StateMachines.IsTerminal(to) && request is not null)
        {
            if (request.Building.Count > 0)
                throw Refuse($"build request {id}", Name(from), Name(to), $"partition {request.Building.First()} is still BUILDING; finish or cancel it first");
            if (request.LiveRuns.Count > 0)
                throw Refuse($"build request {id}", Name(from), Name(to), $"job run {request.LiveRuns.First()} has not finished; finish or cancel it first");
        }
        if (!exists)
        {
            request = new RequestState();
            _requests[id] = request;
            _undo.Add(() => _requests.Remove(id));
        }
        var previousPartitions = StateMachines.IsTerminal(to) ? new Dictionary<string, PartitionStatus>(request!.Partitions) : null;
        request!.Status = to;
        _undo.Add(() => request.Status = from);
        if (previousPartitions is not null)
        {
            // A finished request takes no more events, so its per-partition states are dropped to keep memory flat.
            request.Partitions.Clear();
            _undo.Add(() =>
            {
                foreach (var (partition, status) in previousPartitions) request.Partitions[partition] = status;
            });
        }
    }

    private void ApplyPartition(BuildEvent e)
    {
        var p = e.PartitionEvent;
        var partition = p.PartitionRef?.Str ?? "";
        var entity = $"partition {partition}";
        var problem = PartitionRefs.Problem(partition);
        if (problem is not null) throw Refuse(entity, "-", Name(p.Status), problem);
        var request = LiveRequest(e, entity);
        var from = request.Partitions.GetValueOrDefault(partition, PartitionStatus.PartitionUnknown);
        var to = p.Status;
        if (to == PartitionStatus.PartitionDelegated)
            throw Refuse(entity, Name(from), Name(to), "delegation is recorded with a DelegationEvent naming the build request delegated to");
        if (to is PartitionStatus.PartitionStale or PartitionStatus.PartitionUnknown)
            throw Refuse(entity, Name(from), Name(to), "this status is never written");
        if (!StateMachines.Allows(StateMachines.Partition, from, to))
            throw Refuse(entity, Name(from), Name(to), $"not a valid next state in build request {e.BuildRequestId}");

        if (to == PartitionStatus.PartitionBuilding) StartBuilding(e, request, partition, from);
        if (to == PartitionStatus.PartitionAvailable && p.JobRunId.Length > 0
            && (!_runs.TryGetValue(p.JobRunId, out var producer) || producer.Status != JobStatus.JobCompleted || !producer.Targets.Contains(partition)))
            throw Refuse(entity, Name(from), Name(to), $"job run {p.JobRunId} has not completed a run targeting it");
        if (to == PartitionStatus.PartitionAvailable && p.JobRunId.Length > 0) RecordBuilt(partition);
        if (from == PartitionStatus.PartitionBuilding)
        {
            var owner = _building[partition];
            if (to == PartitionStatus.PartitionAvailable)
            {
                if (p.JobRunId != owner.JobRunId)
                    throw Refuse(entity, Name(from), Name(to), $"it is being built by job run {owner.JobRunId}, not '{p.JobRunId}'");
                if (_runs[owner.JobRunId].Status != JobStatus.JobCompleted)
                    throw Refuse(entity, Name(from), Name(to), $"job run {owner.JobRunId} has not completed");
            }
            _building.Remove(partition);
            request.Building.Remove(partition);
            _undo.Add(() =>
            {
                _building[partition] = owner;
                request.Building.Add(partition);
            });
        }
        SetPartition(request, partition, from, to);
    }

    private void StartBuilding(BuildEvent e, RequestState request, string partition, PartitionStatus from)
    {
        var entity = $"partition {partition}";
        var runId = e.PartitionEvent.JobRunId;
        if (string.IsNullOrEmpty(runId) || !_runs.TryGetValue(runId, out var run))
            throw Refuse(entity, Name(from), "PARTITION_BUILDING", $"job_run_id '{runId}' names no scheduled job run");
        if (run.BuildRequestId != e.BuildRequestId || !run.Targets.Contains(partition) || StateMachines.IsTerminal(run.Status))
            throw Refuse(entity, Name(from), "PARTITION_BUILDING", $"job run {runId} is not a live run of build request {e.BuildRequestId} targeting it");
        if (_building.TryGetValue(partition, out var owner))
            throw new PartitionAlreadyBuildingException(partition, Name(from), owner.BuildRequestId, owner.JobRunId);
        _building[partition] = (e.BuildRequestId, runId);
        request.Building.Add(partition);
        _undo.Add(() =>
        {
            _building.Remove(partition);
            request.Building.Remove(partition);
        });
    }

    private void ApplyJob(BuildEvent e)
    {
        var j = e.JobEvent;
        var runId = j.JobRunId;
        if (string.IsNullOrEmpty(runId)) throw Refuse("job run", "-", Name(j.Status), "job_run_id is required");
        var entity = $"job run {runId}";
        var label = j.JobLabel?.Label ?? "";
        if (label.Length == 0) throw Refuse(entity, "-", Name(j.Status), "job_label is required");
        var request = LiveRequest(e, entity);
        var exists = _runs.TryGetValue(runId, out var run);
        var from = exists ? run!.Status : JobStatus.JobUnknown;
        if (!StateMachines.Allows(StateMachines.JobRun, from, j.Status))
            throw Refuse(entity, Name(from), Name(j.Status), "not a valid next state");
        if (exists && (run!.BuildRequestId != e.BuildRequestId || run.Label != label))
            throw Refuse(entity, Name(from), Name(j.Status), $"it belongs to job {run.Label} in build request {run.BuildRequestId}");
        if (!exists)
        {
            if (j.TargetPartitions.Count == 0) throw Refuse(entity, Name(from), Name(j.Status), "target_partitions must not be empty");
            foreach (var target in j.TargetPartitions)
            {
                var problem = PartitionRefs.Problem(target.Str);
                if (problem is not null) throw Refuse(entity, Name(from), Name(j.Status), $"target '{target.Str}': {problem}");
            }
            run = new RunState(e.BuildRequestId, label, j.TargetPartitions.Select(t => t.Str).ToHashSet(StringComparer.Ordinal));
            _runs[runId] = run;
            _undo.Add(() => _runs.Remove(runId));
        }
        run!.Status = j.Status;
        _undo.Add(() => run.Status = from);
        if (StateMachines.IsTerminal(j.Status))
        {
            if (request.LiveRuns.Remove(runId)) _undo.Add(() => request.LiveRuns.Add(runId));
        }
        else if (request.LiveRuns.Add(runId))
        {
            _undo.Add(() => request.LiveRuns.Remove(runId));
        }
    }

    private void ApplyDelegation(BuildEvent e)
    {
        var d = e.DelegationEvent;
        var partition = d.PartitionRef?.Str ?? "";
        var entity = $"partition {partition}";
        var problem = PartitionRefs.Problem(partition);
        if (problem is not null) throw Refuse(entity, "-", "PARTITION_DELEGATED", problem);
        var request = LiveRequest(e, entity);
        var from = request.Partitions.GetValueOrDefault(partition, PartitionStatus.PartitionUnknown);
        if (string.IsNullOrEmpty(d.DelegatedToBuildRequestId) || d.DelegatedToBuildRequestId == e.BuildRequestId)
            throw Refuse(entity, Name(from), "PARTITION_DELEGATED", "delegated_to_build_request_id must name another build request");
        if (!StateMachines.Allows(StateMachines.Partition, from, PartitionStatus.PartitionDelegated))
            throw Refuse(entity, Name(from), "PARTITION_DELEGATED", $"not a valid next state in build request {e.BuildRequestId}");
        SetPartition(request, partition, from, PartitionStatus.PartitionDelegated);
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
        }
        _wants[w.WantId] = w.Status;
        _undo.Add(() =>
        {
            if (from == WantStatus.WantUnknown) _wants.Remove(w.WantId);
            else _wants[w.WantId] = from;
        });
    }

    private void RecordBuilt(string partition)
    {
        var had = _builtAt.TryGetValue(partition, out var before);
        _builtAt[partition] = _index;
        _undo.Add(() =>
        {
            if (had) _builtAt[partition] = before;
            else _builtAt.Remove(partition);
        });
    }

    private void SetPartition(RequestState request, string partition, PartitionStatus from, PartitionStatus to)
    {
        request.Partitions[partition] = to;
        _undo.Add(() =>
        {
            if (from == PartitionStatus.PartitionUnknown) request.Partitions.Remove(partition);
            else request.Partitions[partition] = from;
        });
    }

    private RequestState LiveRequest(BuildEvent e, string entity)
    {
        var id = RequireRequestId(e);
        if (!_requests.TryGetValue(id, out var request))
            throw Refuse(entity, "-", e.EventTypeCase.ToString(), $"build request {id} was never received");
        if (StateMachines.IsTerminal(request.Status))
            throw Refuse(entity, "-", e.EventTypeCase.ToString(), $"build request {id} is already {Name(request.Status)}");
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
