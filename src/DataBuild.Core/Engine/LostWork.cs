using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// Recovery (DESIGN.md §7): a build request whose owner died (killed, crashed machine) leaves job runs
/// RUNNING and partitions BUILDING. Any later build that notices closes them as CANCELLED, naming the dead
/// owner, so nothing stays BUILDING and the work can be redone.
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
                log.Append(CloseEvents(views, request));
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

    private static List<BuildEvent> CloseEvents(BuildEventViews views, BuildRequestSummary request)
    {
        var why = $"lost: its owner, {Owners.Describe(request.Owner)}, is gone";
        var id = request.BuildRequestId;
        var events = new List<BuildEvent>();
        foreach (var run in views.Runs.All.Where(r => r.BuildRequestId == id && !StateMachines.IsTerminal(r.Status)))
            events.Add(NewEvent.Job(id, run.JobRunId, run.JobLabel, run.Targets, JobStatus.JobCancelled, j => j.Message = why));
        foreach (var partition in views.Catalog.BuildingBy(id))
            events.Add(NewEvent.Partition(id, partition.Ref, PartitionStatus.PartitionCancelled, partition.JobRunId, why));
        events.Add(NewEvent.Request(id, BuildRequestStatus.BuildRequestCancelled, message: why));
        return events;
    }
}
