using DataBuild.Proto;

namespace DataBuild.Events;

/// <summary>Short constructors for the events the engine writes; ids and timestamps are stamped by <see cref="BuildEventLog"/>.</summary>
public static class NewEvent
{
    public static BuildEvent Request(string buildRequestId, BuildRequestStatus status, IEnumerable<string>? refs = null, string message = "", RunOwner? owner = null,
        string? backfillId = null, string requestedBy = "")
    {
        var r = new BuildRequestEvent { Status = status, Message = message, Owner = owner, BackfillId = backfillId ?? "", RequestedBy = requestedBy };
        if (refs is not null) r.RequestedPartitions.AddRange(refs.Select(Ref));
        return new BuildEvent { BuildRequestId = buildRequestId, BuildRequestEvent = r };
    }

    public static BuildEvent Partition(string buildRequestId, string partitionRef, PartitionStatus status, string jobRunId = "", string message = "") =>
        new()
        {
            BuildRequestId = buildRequestId,
            PartitionEvent = new PartitionEvent { PartitionRef = Ref(partitionRef), Status = status, JobRunId = jobRunId, Message = message },
        };

    public static BuildEvent Job(string buildRequestId, string jobRunId, string jobLabel, IEnumerable<string> targets, JobStatus status, Action<JobEvent>? details = null)
    {
        var j = new JobEvent { JobRunId = jobRunId, JobLabel = new JobLabel { Label = jobLabel }, Status = status };
        j.TargetPartitions.AddRange(targets.Select(Ref));
        details?.Invoke(j);
        return new BuildEvent { BuildRequestId = buildRequestId, JobEvent = j };
    }

    public static BuildEvent Delegation(string buildRequestId, string partitionRef, string toBuildRequestId, string toJobRunId, string message = "") =>
        new()
        {
            BuildRequestId = buildRequestId,
            DelegationEvent = new DelegationEvent
            {
                PartitionRef = Ref(partitionRef),
                DelegatedToBuildRequestId = toBuildRequestId,
                DelegatedToJobRunId = toJobRunId,
                Message = message,
            },
        };

    public static BuildEvent Graph(string buildRequestId, JobGraph graph, string message = "") =>
        new() { BuildRequestId = buildRequestId, JobGraphEvent = new JobGraphEvent { JobGraph = graph, Message = message } };

    public static BuildEvent Heartbeat(string buildRequestId, RunOwner owner, long leaseExpiresAt) =>
        new() { BuildRequestId = buildRequestId, HeartbeatEvent = new HeartbeatEvent { Owner = owner, LeaseExpiresAt = leaseExpiresAt } };

    public static BuildEvent Upstream(string buildRequestId, IEnumerable<string> partitions, UpstreamStatus status, string url,
        string upstreamBuildRequestId = "", long upstreamIndex = 0, string message = "")
    {
        var u = new UpstreamEvent { Status = status, UpstreamUrl = url, UpstreamBuildRequestId = upstreamBuildRequestId, UpstreamIndex = upstreamIndex, Message = message };
        u.PartitionRefs.AddRange(partitions.Select(Ref));
        return new BuildEvent { BuildRequestId = buildRequestId, UpstreamEvent = u };
    }

    public static PartitionRef Ref(string value) => new() { Str = value };
}
