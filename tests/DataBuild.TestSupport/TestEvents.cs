using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.TestSupport;

/// <summary>Builders for events of every kind, with just the keys a filter looks at.</summary>
public static class TestEvents
{
    public static BuildEvent Partition(string id, string partitionRef, string buildRequestId = "br-1", string jobRunId = "") =>
        New(id, buildRequestId, e => e.PartitionEvent = new PartitionEvent
        {
            PartitionRef = Ref(partitionRef),
            Status = PartitionStatus.PartitionBuilding,
            JobRunId = jobRunId,
        });

    public static BuildEvent Job(string id, string label, string jobRunId, string buildRequestId = "br-1", params string[] targets) =>
        New(id, buildRequestId, e => e.JobEvent = new JobEvent
        {
            JobLabel = new JobLabel { Label = label },
            JobRunId = jobRunId,
            Status = JobStatus.JobRunning,
            TargetPartitions = { targets.Select(Ref) },
        });

    public static BuildEvent Delegation(string id, string partitionRef, string toJobRunId, string buildRequestId = "br-1") =>
        New(id, buildRequestId, e => e.DelegationEvent = new DelegationEvent
        {
            PartitionRef = Ref(partitionRef),
            DelegatedToBuildRequestId = "br-other",
            DelegatedToJobRunId = toJobRunId,
        });

    public static BuildEvent Request(string id, string buildRequestId, params string[] partitions) =>
        New(id, buildRequestId, e => e.BuildRequestEvent = new BuildRequestEvent
        {
            Status = BuildRequestStatus.BuildRequestReceived,
            RequestedPartitions = { partitions.Select(Ref) },
        });

    public static BuildEvent Want(string id, string wantId, string parentWantId = "", string rootWantId = "", params string[] partitions) =>
        New(id, "", e => e.WantEvent = new WantEvent
        {
            WantId = wantId,
            ParentWantId = parentWantId,
            RootWantId = rootWantId,
            Status = WantStatus.WantCreated,
            Partitions = { partitions.Select(Ref) },
        });

    public static BuildEvent Heartbeat(string id, string buildRequestId = "br-1") =>
        New(id, buildRequestId, e => e.HeartbeatEvent = new HeartbeatEvent
        {
            Owner = new RunOwner { Host = "host", Pid = 42 },
            LeaseExpiresAt = 1_700_000_000_000_000_000,
        });

    /// <summary><paramref name="count"/> partition events with ids <c>{prefix}0</c>, <c>{prefix}1</c>, …</summary>
    public static List<BuildEvent> Many(int count, string prefix = "e") =>
        Enumerable.Range(0, count).Select(i => Partition($"{prefix}{i}", $"data/n={i}")).ToList();

    public static PartitionRef Ref(string value) => new() { Str = value };

    private static BuildEvent New(string id, string buildRequestId, Action<BuildEvent> fill)
    {
        var buildEvent = new BuildEvent
        {
            EventId = id,
            Timestamp = 1_700_000_000_000_000_000,
            BuildRequestId = buildRequestId,
            SchemaVersion = EventSchema.CurrentVersion,
        };
        fill(buildEvent);
        return buildEvent;
    }
}
