using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// Recovery (docs/architecture.md#the-flow): a build request whose owner died (killed, crashed machine) leaves job runs
/// RUNNING and partitions BUILDING, ANALYZED or REQUESTED. Any later build that notices closes them as
/// CANCELLED, naming the dead owner, as a clean Ctrl-C would have: nothing of the request stays open, and
/// the work can be redone.
/// </summary>
public static class LostWork
{
    /// <summary>Finds requests with dead owners and closes them; returns the ids closed.</summary>
    public static IReadOnlyList<string> Recover(BuildEventLog log, BuildEventViews views, string selfRequestId, TimeSpan lease)
    {
        views.Refresh(log);
        var now = log.Clock.GetUtcNow();
        var closed = new List<string>();
        foreach (var request in views.Requests.All.Where(r => !r.IsFinished && r.BuildRequestId != selfRequestId).ToArray())
        {
            if (Owners.IsAlive(request, now, lease)) continue;
            try
            {
                log.Append(CloseEvents(log, views, request.BuildRequestId, BuildRequestStatus.BuildRequestCancelled,
                    $"lost: its owner, {Owners.Describe(request.Owner)}, is gone"));
                closed.Add(request.BuildRequestId);
            }
            catch (InvalidEventException)
            {
                // Another build closed it first; the refreshed views will show it finished.
            }
        }
        if (closed.Count > 0) views.Refresh(log);
        return closed;
    }

    /// <summary>
    /// The events that end request <paramref name="buildRequestId"/> with <paramref name="status"/>: each of
    /// its job runs still open cancelled, each of its partitions still open cancelled, then the request.
    /// Judged from the log itself (the views, read up to now, and the request's own events), not from what a
    /// process remembers, so it also serves a build whose own record of its writes cannot be trusted.
    /// </summary>
    public static List<BuildEvent> CloseEvents(BuildEventLog log, BuildEventViews views, string buildRequestId, BuildRequestStatus status, string why)
    {
        var events = new List<BuildEvent>();
        foreach (var run in views.Runs.Live.Where(r => r.BuildRequestId == buildRequestId))
            events.Add(NewEvent.Job(buildRequestId, run.JobRunId, run.JobLabel, run.Targets, JobStatus.JobCancelled, j => j.Message = why));
        foreach (var (partitionRef, jobRunId) in OpenPartitions(log, buildRequestId))
            events.Add(NewEvent.Partition(buildRequestId, partitionRef, PartitionStatus.PartitionCancelled, jobRunId, why));
        events.Add(NewEvent.Request(buildRequestId, status, message: why));
        return events;
    }

    // The request's partitions whose last state in it is not an end: read from its own events, which the
    // storage serves by index, since the catalog keeps one state per partition across all requests.
    private static IEnumerable<(string Ref, string JobRunId)> OpenPartitions(BuildEventLog log, string buildRequestId)
    {
        var last = new Dictionary<string, (PartitionStatus Status, string JobRunId)>(StringComparer.Ordinal);
        foreach (var stored in log.ReadAll(log.RetainedSince, new EventFilter { BuildRequestIds = { buildRequestId } }))
        {
            var e = stored.Event;
            if (e.EventTypeCase == BuildEvent.EventTypeOneofCase.PartitionEvent)
                last[e.PartitionEvent.PartitionRef.Str] = (e.PartitionEvent.Status, e.PartitionEvent.JobRunId);
            else if (e.EventTypeCase == BuildEvent.EventTypeOneofCase.DelegationEvent)
                last[e.DelegationEvent.PartitionRef.Str] = (PartitionStatus.PartitionDelegated, "");
        }
        return last
            .Where(p => p.Value.Status is PartitionStatus.PartitionRequested or PartitionStatus.PartitionAnalyzed
                or PartitionStatus.PartitionDelegated or PartitionStatus.PartitionBuilding)
            .Select(p => (p.Key, p.Value.Status == PartitionStatus.PartitionBuilding ? p.Value.JobRunId : ""));
    }
}
