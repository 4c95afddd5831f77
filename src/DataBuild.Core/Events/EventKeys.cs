using DataBuild.Proto;

namespace DataBuild.Events;

/// <summary>
/// The values of a <see cref="BuildEvent"/> that an <see cref="EventFilter"/> matches on. Every backend
/// indexes exactly these, so what a filter finds is decided here, once.
/// </summary>
public sealed class EventKeys
{
    private EventKeys(IReadOnlyList<string> partitionRefs, string? jobLabel, string? jobRunId,
        string? buildRequestId, IReadOnlyList<string> wantIds)
    {
        PartitionRefs = partitionRefs;
        JobLabel = jobLabel;
        JobRunId = jobRunId;
        BuildRequestId = buildRequestId;
        WantIds = wantIds;
    }

    /// <summary>The partition refs the event touches, without duplicates.</summary>
    public IReadOnlyList<string> PartitionRefs { get; }

    /// <summary>The job label of a job event; null for other events.</summary>
    public string? JobLabel { get; }

    /// <summary>The job run the event is about (each kind of event names at most one); null when none.</summary>
    public string? JobRunId { get; }

    /// <summary>The event's build request; null when it has none.</summary>
    public string? BuildRequestId { get; }

    /// <summary>The want, its parent and its root, without duplicates.</summary>
    public IReadOnlyList<string> WantIds { get; }

    public static EventKeys Of(BuildEvent buildEvent)
    {
        ArgumentNullException.ThrowIfNull(buildEvent);
        var refs = new List<string>();
        var wants = new List<string>();
        string? jobLabel = null;
        string? jobRunId = null;
        switch (buildEvent.EventTypeCase)
        {
            case BuildEvent.EventTypeOneofCase.PartitionEvent:
                var partition = buildEvent.PartitionEvent;
                AddRef(refs, partition.PartitionRef);
                jobRunId = partition.JobRunId;
                break;
            case BuildEvent.EventTypeOneofCase.JobEvent:
                var job = buildEvent.JobEvent;
                foreach (var target in job.TargetPartitions) AddRef(refs, target);
                jobRunId = job.JobRunId;
                jobLabel = NullIfEmpty(job.JobLabel?.Label);
                break;
            case BuildEvent.EventTypeOneofCase.DelegationEvent:
                var delegation = buildEvent.DelegationEvent;
                AddRef(refs, delegation.PartitionRef);
                jobRunId = delegation.DelegatedToJobRunId;
                break;
            case BuildEvent.EventTypeOneofCase.BuildRequestEvent:
                foreach (var requested in buildEvent.BuildRequestEvent.RequestedPartitions) AddRef(refs, requested);
                break;
            case BuildEvent.EventTypeOneofCase.UpstreamEvent:
                foreach (var upstream in buildEvent.UpstreamEvent.PartitionRefs) AddRef(refs, upstream);
                break;
            case BuildEvent.EventTypeOneofCase.InvalidationEvent:
                foreach (var invalidated in buildEvent.InvalidationEvent.PartitionRefs) AddRef(refs, invalidated);
                break;
            case BuildEvent.EventTypeOneofCase.WantEvent:
                var want = buildEvent.WantEvent;
                foreach (var wanted in want.Partitions) AddRef(refs, wanted);
                AddDistinct(wants, want.WantId);
                AddDistinct(wants, want.ParentWantId);
                AddDistinct(wants, want.RootWantId);
                break;
        }
        return new EventKeys(refs, jobLabel, NullIfEmpty(jobRunId), NullIfEmpty(buildEvent.BuildRequestId), wants);
    }

    private static void AddRef(List<string> refs, PartitionRef? partitionRef) => AddDistinct(refs, partitionRef?.Str);

    // Lists stay tiny (a handful of values), so a linear check beats allocating a set per event.
    private static void AddDistinct(List<string> values, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !values.Contains(value)) values.Add(value);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
