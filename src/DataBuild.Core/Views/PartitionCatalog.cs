using System.Runtime.InteropServices;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Refs;

namespace DataBuild.Views;

/// <summary>When and by what a partition was last built.</summary>
public sealed record BuiltBy(long Index, long Timestamp, string BuildRequestId, string JobRunId);

/// <summary>Builds in a row that failed a partition since a job last built it, and when the last of them failed.</summary>
public sealed record FailedBuilds(int Count, long LastFailedAt);

/// <summary>
/// The catalog's answer for one partition. <see cref="BuildRequestId"/> and <see cref="JobRunId"/> are the
/// ones behind the status: the builder while BUILDING, the last builder while AVAILABLE.
/// </summary>
public sealed record PartitionState(
    string Ref,
    PartitionStatus Status,
    string BuildRequestId,
    string JobRunId,
    long LastIndex,
    BuiltBy? LastBuilt,
    string Message,
    string StaleReason,
    FailedBuilds? Failures = null)
{
    /// <summary>When AVAILABLE: its job's code changed since, under the same major version, so it is kept (why, in words).</summary>
    public string CompatibleChange { get; init; } = "";

    /// <summary><c>databuild invalidate</c> named it after it was last built.</summary>
    public bool Invalidated { get; init; }
}

/// <summary>
/// Reducer: the status of every partition (docs/event-log.md). The status says what is true of the data: a
/// partition once built stays AVAILABLE while a later request merely plans it, delegates it or fails to
/// rebuild it (jobs write atomically, so the old data is intact); it turns BUILDING while a rebuild runs.
/// STALE is derived when asked (PartitionCatalog.Staleness.cs): a MATERIALIZE input was built after it (or is itself
/// stale), or its job's code or major version changed since it was built.
/// </summary>
public sealed partial class PartitionCatalog(JobRunsView runs)
{
    private sealed class Entry(string partitionRef)
    {
        public string Ref { get; } = partitionRef;
        public PartitionStatus Status { get; set; }
        public string BuildRequestId { get; set; } = "";
        public string JobRunId { get; set; } = "";
        public long LastIndex { get; set; }
        public BuiltBy? LastBuilt { get; set; }
        public string Message { get; set; } = "";
        public string BuildingRequestId { get; set; } = "";
        public string BuildingJobRunId { get; set; } = "";
        public FailedBuilds? Failures { get; set; }
        public string LastFailedRequestId { get; set; } = "";
        public long InvalidatedAt { get; set; }
        public string InvalidationReason { get; set; } = "";
    }

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    // Its runs view's pool: a partition's builder ids are the same instances as the run's own.
    private readonly StringPool _strings = runs.Strings;
    private Entry? _last;

    public int Count => _entries.Count;

    public IEnumerable<string> Refs => _entries.Keys;

    internal void Apply(StoredEvent stored)
    {
        var e = stored.Event;
        switch (e.EventTypeCase)
        {
            case BuildEvent.EventTypeOneofCase.PartitionEvent:
                var p = e.PartitionEvent;
                Record(stored, p.PartitionRef.Str, p.Status, p.JobRunId, p.Message);
                break;
            case BuildEvent.EventTypeOneofCase.InvalidationEvent:
                Invalidate(stored.Index, e.InvalidationEvent);
                break;
            case BuildEvent.EventTypeOneofCase.DelegationEvent:
                var d = e.DelegationEvent;
                Record(stored, d.PartitionRef.Str, PartitionStatus.PartitionDelegated, d.DelegatedToJobRunId, d.Message);
                break;
        }
    }

    // Only what was built can be invalidated: a partition never built has nothing to rebuild.
    private void Invalidate(long index, InvalidationEvent invalidation)
    {
        foreach (var partitionRef in invalidation.PartitionRefs)
        {
            if (!_entries.TryGetValue(partitionRef.Str, out var entry) || entry.LastBuilt is null) continue;
            entry.InvalidatedAt = index;
            entry.InvalidationReason = invalidation.Reason;
        }
        _judged.Clear();
    }

    private void Record(StoredEvent stored, string partitionRef, PartitionStatus status, string jobRunId, string message)
    {
        // A partition's events come close together, often with only its job's events between: the last
        // partition needs no lookup.
        var entry = _last;
        if (entry is null || entry.Ref != partitionRef)
        {
            // One lookup, inserting when absent: the partition's first event creates its entry.
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, partitionRef, out var known);
            if (!known) slot = new Entry(_strings.Intern(partitionRef));
            _last = entry = slot!;
        }
        // Kept by the entry, so shared: an event usually names the request and run its entry holds already, and
        // a run's id is its run's instance (the runs view folds the run's events before its partitions').
        var requestId = _strings.Intern(stored.Event.BuildRequestId, entry.BuildRequestId);
        if (jobRunId != entry.JobRunId) jobRunId = runs.HeldId(jobRunId) ?? _strings.Intern(jobRunId);
        else jobRunId = entry.JobRunId;
        entry.LastIndex = stored.Index;
        entry.Message = message;
        _judged.Clear();
        if (status == PartitionStatus.PartitionBuilding)
        {
            entry.BuildingRequestId = requestId;
            entry.BuildingJobRunId = jobRunId;
        }
        else if (entry.BuildingRequestId == requestId && status != PartitionStatus.PartitionDelegated)
        {
            entry.BuildingRequestId = "";
            entry.BuildingJobRunId = "";
        }
        if (status == PartitionStatus.PartitionAvailable && (jobRunId.Length > 0 || entry.LastBuilt is null))
        {
            // Without a job run this records data found already available: it does not move the build time.
            entry.LastBuilt = new BuiltBy(stored.Index, stored.Event.Timestamp, requestId, jobRunId);
            entry.Failures = null;
            entry.LastFailedRequestId = "";
        }
        else if (status == PartitionStatus.PartitionFailed)
        {
            // One build request counts once, however many of its job runs (retries) failed the partition.
            var count = (entry.Failures?.Count ?? 0) + (entry.LastFailedRequestId == requestId ? 0 : 1);
            entry.Failures = new FailedBuilds(count, stored.Event.Timestamp);
            entry.LastFailedRequestId = requestId;
        }

        if (entry.BuildingRequestId.Length > 0)
        {
            entry.Status = PartitionStatus.PartitionBuilding;
            entry.BuildRequestId = entry.BuildingRequestId;
            entry.JobRunId = entry.BuildingJobRunId;
        }
        else if (entry.LastBuilt is not null)
        {
            entry.Status = PartitionStatus.PartitionAvailable;
            entry.BuildRequestId = entry.LastBuilt.BuildRequestId;
            entry.JobRunId = entry.LastBuilt.JobRunId;
        }
        else
        {
            entry.Status = status;
            entry.BuildRequestId = requestId;
            entry.JobRunId = jobRunId;
        }
    }

    /// <summary>
    /// The state of <paramref name="partitionRef"/>, or null when the log never mentioned it.
    /// <paramref name="currentJobs"/> (job label → its version and code key now) enables staleness by code and version.
    /// </summary>
    public PartitionState? Get(string partitionRef, IReadOnlyDictionary<string, JobIdentity>? currentJobs = null)
    {
        if (!_entries.TryGetValue(partitionRef, out var entry)) return null;
        var judged = entry.Status == PartitionStatus.PartitionAvailable ? Judge(entry, currentJobs) : Judgement.Fresh;
        return new PartitionState(entry.Ref, judged.Reason.Length > 0 ? PartitionStatus.PartitionStale : entry.Status,
            entry.BuildRequestId, entry.JobRunId, entry.LastIndex, entry.LastBuilt, entry.Message, judged.Reason, entry.Failures)
        {
            CompatibleChange = judged.Compatible,
            Invalidated = entry.LastBuilt is not null && entry.InvalidatedAt > entry.LastBuilt.Index,
        };
    }

    /// <summary>True when the partition's data exists and is not stale.</summary>
    public bool IsAvailable(string partitionRef, IReadOnlyDictionary<string, JobIdentity>? currentJobs = null) =>
        Get(partitionRef, currentJobs)?.Status == PartitionStatus.PartitionAvailable;

    /// <summary>The partitions <paramref name="buildRequestId"/> is building now.</summary>
    public IReadOnlyList<PartitionState> BuildingBy(string buildRequestId) =>
        _entries.Values.Where(e => e.BuildingRequestId == buildRequestId).Select(e => Get(e.Ref)!).ToArray();

    /// <summary>Every partition matching any of <paramref name="globs"/> (all when none), sorted by ref.</summary>
    public IReadOnlyList<PartitionState> Query(IReadOnlyList<string> globs, IReadOnlyDictionary<string, JobIdentity>? currentJobs = null)
    {
        var patterns = globs.Select(PartitionPattern.Parse).ToArray();
        return _entries.Keys
            .Where(r => patterns.Length == 0 || patterns.Any(p => p.IsMatch(r)))
            .Order(StringComparer.Ordinal)
            .Select(r => Get(r, currentJobs)!)
            .ToArray();
    }
}
