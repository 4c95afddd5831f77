using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

/// <summary>A build request as its events describe it.</summary>
public sealed class BuildRequestSummary(string buildRequestId)
{
    public string BuildRequestId { get; } = buildRequestId;
    public BuildRequestStatus Status { get; internal set; }
    public IReadOnlyList<string> RequestedPartitions { get; internal set; } = [];
    public string Message { get; internal set; } = "";
    public RunOwner? Owner { get; internal set; }
    /// <summary>The backfill this request is a chunk of; empty for none.</summary>
    public string BackfillId { get; internal set; } = "";

    /// <summary>Who asked for it, when another graph did; empty otherwise.</summary>
    public string RequestedBy { get; internal set; } = "";
    /// <summary>Unix nanoseconds until which the owner's heartbeat says it is alive; 0 when it never sent one.</summary>
    public long LeaseExpiresAt { get; internal set; }
    public long ReceivedAt { get; internal set; }
    public long FinishedAt { get; internal set; }
    public int JobsCompleted { get; internal set; }
    public int JobsFailed { get; internal set; }
    public int JobsCancelled { get; internal set; }
    public int JobsMissingDeps { get; internal set; }
    public int PartitionsDelegated { get; internal set; }
    public bool IsFinished => StateMachines.IsTerminal(Status);
}

/// <summary>Reducer: a summary per build request, in the order they were received.</summary>
public sealed partial class BuildRequestsView
{
    private readonly Dictionary<string, BuildRequestSummary> _requests = new(StringComparer.Ordinal);
    private readonly List<BuildRequestSummary> _ordered = [];
    private BuildRequestSummary? _last;

    /// <summary>The pool of the ids and refs the summaries keep (<see cref="JobRunsView.Strings"/>).</summary>
    internal StringPool Strings { get; init; } = new();

    public IReadOnlyList<BuildRequestSummary> All => _ordered;

    public BuildRequestSummary? Get(string buildRequestId) => _requests.GetValueOrDefault(buildRequestId);

    internal void Apply(StoredEvent stored)
    {
        var e = stored.Event;
        // Partition events (half of a build's log), want and graph events change nothing here: skip them before the lookup.
        if (e.EventTypeCase is not (BuildEvent.EventTypeOneofCase.BuildRequestEvent or BuildEvent.EventTypeOneofCase.HeartbeatEvent
            or BuildEvent.EventTypeOneofCase.DelegationEvent or BuildEvent.EventTypeOneofCase.JobEvent)) return;
        if (e.BuildRequestId.Length == 0) return;
        // A build's events come in long runs: the last request needs no lookup.
        var request = _last;
        if (request is null || request.BuildRequestId != e.BuildRequestId)
        {
            if (!_requests.TryGetValue(e.BuildRequestId, out request))
            {
                if (e.EventTypeCase != BuildEvent.EventTypeOneofCase.BuildRequestEvent) return;
                request = new BuildRequestSummary(Strings.Intern(e.BuildRequestId)) { ReceivedAt = e.Timestamp };
                _requests[request.BuildRequestId] = request;
                _ordered.Add(request);
            }
            _last = request;
        }
        switch (e.EventTypeCase)
        {
            case BuildEvent.EventTypeOneofCase.BuildRequestEvent:
                var r = e.BuildRequestEvent;
                request.Status = r.Status;
                if (r.RequestedPartitions.Count > 0) request.RequestedPartitions = Strings.Intern(r.RequestedPartitions);
                if (r.Message.Length > 0) request.Message = r.Message;
                if (r.Owner is not null) request.Owner = r.Owner;
                if (r.BackfillId.Length > 0) request.BackfillId = r.BackfillId;
                if (r.RequestedBy.Length > 0) request.RequestedBy = r.RequestedBy;
                if (StateMachines.IsTerminal(r.Status)) request.FinishedAt = e.Timestamp;
                break;
            case BuildEvent.EventTypeOneofCase.HeartbeatEvent:
                request.LeaseExpiresAt = e.HeartbeatEvent.LeaseExpiresAt;
                if (e.HeartbeatEvent.Owner is not null) request.Owner = e.HeartbeatEvent.Owner;
                break;
            case BuildEvent.EventTypeOneofCase.DelegationEvent:
                request.PartitionsDelegated++;
                break;
            case BuildEvent.EventTypeOneofCase.JobEvent:
                switch (e.JobEvent.Status)
                {
                    case JobStatus.JobCompleted: request.JobsCompleted++; break;
                    case JobStatus.JobFailed: request.JobsFailed++; break;
                    case JobStatus.JobCancelled: request.JobsCancelled++; break;
                    case JobStatus.JobMissingDeps: request.JobsMissingDeps++; break;
                }
                break;
        }
    }
}
