using DataBuild.Proto;

namespace DataBuild.Views;

/// <summary>
/// The events a <see cref="ViewSnapshot"/> keeps whole instead of as state: those of backfills and schedules
/// (<see cref="BackfillsView"/>, <see cref="SchedulesView"/> and the validator's part for them), the build
/// requests and wants that refer to one, and a build's waits for upstream graphs (the validator's per-request part). They are few (a schedule's events, a backfill's, one want per tick), so
/// replaying them when a snapshot is read costs little and keeps those parts exactly as a full fold leaves them.
/// </summary>
public static class SnapshotReplay
{
    /// <summary>Whether <paramref name="stored"/> is one of the events a snapshot keeps to replay.</summary>
    public static bool Keeps(StoredEvent stored)
    {
        var e = stored.Event;
        return e.EventTypeCase switch
        {
            BuildEvent.EventTypeOneofCase.BackfillEvent or BuildEvent.EventTypeOneofCase.ScheduleEvent or BuildEvent.EventTypeOneofCase.UpstreamEvent => true,
            BuildEvent.EventTypeOneofCase.WantEvent => e.WantEvent.ScheduleId.Length > 0,
            BuildEvent.EventTypeOneofCase.BuildRequestEvent => e.BuildRequestEvent.BackfillId.Length > 0,
            _ => false,
        };
    }
}
