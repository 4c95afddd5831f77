using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

/// <summary>A schedule as its events describe it, with the ticks it has made wants for.</summary>
public sealed class ScheduleInfo(string scheduleId, ScheduleEvent added, long addedAt)
{
    public string ScheduleId { get; } = scheduleId;
    public string Name => Added.Name;
    /// <summary>The ADDED event: the whole definition (cron, templates, zone, offset, start, catchup, TTL, SLA).</summary>
    public ScheduleEvent Added { get; } = added;
    /// <summary>Unix nanoseconds of the ADDED event.</summary>
    public long AddedAt { get; } = addedAt;
    public ScheduleStatus Status { get; internal set; } = ScheduleStatus.ScheduleAdded;
    /// <summary>When ticks start (Unix nanoseconds): the start given, else when it was added.</summary>
    public long StartsAt => Added.StartTime > 0 ? Added.StartTime : AddedAt;
    /// <summary>The periods it was paused, as (from, to) in Unix nanoseconds; to is long.MaxValue while paused.</summary>
    public List<(long From, long To)> Pauses { get; } = [];
    /// <summary>The latest tick (Unix nanoseconds) a want was created for; 0 before the first.</summary>
    public long LatestTick { get; internal set; }
    public int WantsCreated { get; internal set; }
    public long RemovedAt { get; internal set; }
    public bool IsPaused => Status == ScheduleStatus.SchedulePaused;
    public bool IsRemoved => Status == ScheduleStatus.ScheduleRemoved;
    public bool WasPausedAt(long unixNanos) => Pauses.Exists(p => p.From <= unixNanos && unixNanos < p.To);
}

/// <summary>
/// Reducer: every schedule (docs/wants.md#schedules) by id, in the order added, and the one each name holds now. The
/// wants of its ticks move <see cref="ScheduleInfo.LatestTick"/>, from which the reconciler makes the next ones.
/// </summary>
public sealed class SchedulesView
{
    private readonly Dictionary<string, ScheduleInfo> _byId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScheduleInfo> _byName = new(StringComparer.Ordinal);
    private readonly List<ScheduleInfo> _ordered = [];

    /// <summary>Every schedule ever added, removed ones included, in the order added.</summary>
    public IReadOnlyList<ScheduleInfo> All => _ordered;

    /// <summary>The schedules not removed, in the order added.</summary>
    public IEnumerable<ScheduleInfo> Current => _ordered.Where(s => !s.IsRemoved);

    public ScheduleInfo? Get(string scheduleId) => _byId.GetValueOrDefault(scheduleId);

    /// <summary>The schedule the name holds now, not removed; null when none.</summary>
    public ScheduleInfo? Named(string name) => _byName.TryGetValue(name, out var s) && !s.IsRemoved ? s : null;

    internal void Apply(StoredEvent stored)
    {
        var e = stored.Event;
        switch (e.EventTypeCase)
        {
            case BuildEvent.EventTypeOneofCase.ScheduleEvent:
                ApplySchedule(e.ScheduleEvent, e.Timestamp);
                break;
            case BuildEvent.EventTypeOneofCase.WantEvent when e.WantEvent is { Status: WantStatus.WantCreated, ScheduleId.Length: > 0 } w:
                if (!_byId.TryGetValue(w.ScheduleId, out var schedule)) return;
                schedule.WantsCreated++;
                schedule.LatestTick = Math.Max(schedule.LatestTick, w.ScheduledTime);
                break;
        }
    }

    private void ApplySchedule(ScheduleEvent s, long at)
    {
        if (s.Status == ScheduleStatus.ScheduleAdded)
        {
            var added = new ScheduleInfo(s.ScheduleId, s, at);
            _byId[s.ScheduleId] = added;
            _byName[s.Name] = added;
            _ordered.Add(added);
            return;
        }
        if (!_byId.TryGetValue(s.ScheduleId, out var schedule)) return;
        if (schedule.IsPaused && schedule.Pauses.Count > 0) schedule.Pauses[^1] = (schedule.Pauses[^1].From, at);
        schedule.Status = s.Status;
        if (s.Status == ScheduleStatus.SchedulePaused) schedule.Pauses.Add((at, long.MaxValue));
        if (s.Status == ScheduleStatus.ScheduleRemoved) schedule.RemovedAt = at;
    }
}
