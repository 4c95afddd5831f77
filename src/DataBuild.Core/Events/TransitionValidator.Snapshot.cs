using DataBuild.Proto;

namespace DataBuild.Events;

// The validator's part of a ViewSnapshot (docs/event-log.md#snapshots): every entity's state, so a reader
// that starts from the snapshot judges later events exactly as one that folded the whole log.
internal sealed partial class TransitionValidator
{
    public ValidatorSnapshot ToSnapshot(SnapshotStrings strings)
    {
        var snapshot = new ValidatorSnapshot();
        foreach (var (id, request) in _requests)
        {
            var item = new ValidatorRequestSnapshot { BuildRequestId = strings.Id(id), Status = request.Status };
            foreach (var (partition, status) in request.Partitions)
            {
                item.PartitionRefs.Add(strings.Id(partition));
                item.PartitionStatuses.Add(status);
            }
            strings.AddAll(item.Building, request.Building);
            strings.AddAll(item.LiveRuns, request.LiveRuns);
            snapshot.Requests.Add(item);
        }
        foreach (var (id, run) in _runs)
        {
            var item = new ValidatorRunSnapshot
            {
                JobRunId = strings.Id(id), BuildRequestId = strings.Id(run.BuildRequestId), JobLabel = strings.Id(run.Label), Status = run.Status,
            };
            strings.AddAll(item.Targets, run.Targets);
            snapshot.Runs.Add(item);
        }
        foreach (var (partition, (requestId, runId)) in _building)
            snapshot.Building.Add(new ValidatorBuildingSnapshot { Ref = strings.Id(partition), BuildRequestId = strings.Id(requestId), JobRunId = strings.Id(runId) });
        foreach (var (id, status) in _wants) snapshot.Wants.Add(new ValidatorWantSnapshot { WantId = strings.Id(id), Status = status });
        foreach (var (partition, index) in _builtAt) snapshot.BuiltAt.Add(new ValidatorBuiltSnapshot { Ref = strings.Id(partition), Index = index });
        return snapshot;
    }

    /// <summary>Replaces the whole state with <paramref name="snapshot"/>'s; throws <see cref="InvalidDataException"/> when it does not hold together.</summary>
    public void Restore(ValidatorSnapshot snapshot, SnapshotStrings strings)
    {
        _requests.Clear();
        _runs.Clear();
        _building.Clear();
        _wants.Clear();
        _builtAt.Clear();
        _backfills.Clear();
        _schedules.Clear();
        _scheduleRemoved.Clear();
        _undo.Clear();
        foreach (var item in snapshot.Requests)
        {
            if (item.PartitionRefs.Count != item.PartitionStatuses.Count)
                throw new InvalidDataException($"build request {strings[item.BuildRequestId]} has {item.PartitionRefs.Count} partitions and {item.PartitionStatuses.Count} states");
            var request = new RequestState { Status = item.Status };
            for (var i = 0; i < item.PartitionRefs.Count; i++) request.Partitions[strings[item.PartitionRefs[i]]] = item.PartitionStatuses[i];
            foreach (var partition in item.Building) request.Building.Add(strings[partition]);
            foreach (var run in item.LiveRuns) request.LiveRuns.Add(strings[run]);
            _requests[strings[item.BuildRequestId]] = request;
        }
        _runs.EnsureCapacity(snapshot.Runs.Count);
        foreach (var item in snapshot.Runs)
        {
            var targets = new HashSet<string>(item.Targets.Count, StringComparer.Ordinal);
            foreach (var target in item.Targets) targets.Add(strings[target]);
            var runId = strings[item.JobRunId];
            var requestId = strings[item.BuildRequestId];
            if (!_requests.TryGetValue(requestId, out var request) || StateMachines.IsTerminal(request.Status))
                throw new InvalidDataException($"job run {runId} belongs to build request {requestId}, which is not in progress");
            _runs[runId] = new RunState(requestId, strings[item.JobLabel], targets) { Status = item.Status };
            request.Runs.Add(runId);
        }
        foreach (var item in snapshot.Building) _building[strings[item.Ref]] = (strings[item.BuildRequestId], strings[item.JobRunId]);
        foreach (var item in snapshot.Wants) _wants[strings[item.WantId]] = item.Status;
        foreach (var item in snapshot.BuiltAt) _builtAt[strings[item.Ref]] = item.Index;
    }
}
