using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Wants;

/// <summary>
/// The wants schedules' ticks call for (docs/wants.md#schedules), derived from the log alone: for each schedule
/// neither removed nor paused, the ticks after the latest one it has a want for (or from its start), skipping
/// ticks that fell while it was paused; with catchup every such tick, else only the latest. Each want's id comes
/// from the schedule and the tick (<see cref="WantIds.Tick"/>), so two reconcilers record each tick's want once.
/// </summary>
public static class ScheduleTicks
{
    /// <summary>A long catchup is recorded this many ticks per pass, oldest first.</summary>
    public const int MaxPerPass = 1000;

    /// <summary>The requested_by of the wants of a schedule's ticks.</summary>
    public static string RequestedBy(string scheduleName) => $"schedule {scheduleName}";

    public static List<BuildEvent> Due(SchedulesView schedules, DateTimeOffset now)
    {
        var events = new List<BuildEvent>();
        foreach (var schedule in schedules.Current.Where(s => !s.IsPaused))
        {
            var spec = ScheduleSpec.Parse(schedule.Added);
            // The start itself is a tick when the expression has it there.
            var after = schedule.LatestTick > 0
                ? BuildEventLog.FromUnixNanos(schedule.LatestTick)
                : BuildEventLog.FromUnixNanos(schedule.StartsAt).AddTicks(-1);
            var ticks = schedule.Added.Catchup
                ? spec.Ticks(after, now).Where(t => !schedule.WasPausedAt(BuildEventLog.UnixNanos(t))).Take(MaxPerPass).ToList()
                : Latest(spec, schedule, after, now);
            foreach (var tick in ticks) events.Add(Want(schedule, spec, tick));
        }
        return events;
    }

    // The latest tick in (after, now], looked for in ever wider windows back from now, so a minutely schedule that
    // started years ago does not enumerate years of ticks.
    private static List<DateTimeOffset> Latest(ScheduleSpec spec, ScheduleInfo schedule, DateTimeOffset after, DateTimeOffset now)
    {
        foreach (var window in new[] { TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(367), TimeSpan.MaxValue })
        {
            var from = window == TimeSpan.MaxValue || now - after < window ? after : now - window;
            var last = spec.Ticks(from, now).Where(t => !schedule.WasPausedAt(BuildEventLog.UnixNanos(t))).LastOrDefault();
            if (last != default) return [last];
            if (from == after) break;
        }
        return [];
    }

    private static BuildEvent Want(ScheduleInfo schedule, ScheduleSpec spec, DateTimeOffset tick)
    {
        var nanos = BuildEventLog.UnixNanos(tick);
        var added = schedule.Added;
        var local = TimeZoneInfo.ConvertTime(tick, spec.Zone);
        var e = WantEvents.Created(WantIds.Tick(schedule.ScheduleId, nanos), spec.PartitionsFor(tick),
            added.TtlSeconds > 0 ? TimeSpan.FromSeconds(added.TtlSeconds) : null,
            added.SlaSeconds > 0 ? TimeSpan.FromSeconds(added.SlaSeconds) : null,
            RequestedBy(schedule.Name), $"the tick at {local:yyyy-MM-dd'T'HH:mm:sszzz} of schedule {schedule.Name} ({added.Cron})");
        e.WantEvent.ScheduleId = schedule.ScheduleId;
        e.WantEvent.ScheduledTime = nanos;
        return e;
    }
}
