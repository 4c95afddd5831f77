using System.Globalization;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;
using DataBuild.Wants;

namespace DataBuild.Schedules;

/// <summary>What <c>databuild schedule add</c> asks for (docs/wants.md#schedules).</summary>
public sealed record ScheduleRequest(
    string Name,
    string Cron,
    IReadOnlyList<string> Partitions,
    string Timezone,
    TimeSpan Offset,
    DateTimeOffset? Start,
    bool Catchup,
    TimeSpan? Ttl,
    TimeSpan? Sla,
    string RequestedBy);

/// <summary>Adding, pausing, resuming and removing schedules: each a validated <see cref="ScheduleEvent"/> in the log.</summary>
public static class ScheduleCommands
{
    /// <summary>
    /// Records a new schedule and returns it. Throws before writing anything when the name is taken, the cron
    /// expression or time zone is not one, or a template does not make refs exactly one job produces.
    /// </summary>
    public static ScheduleInfo Add(BuildEngine engine, ScheduleRequest request)
    {
        var views = Views(engine);
        if (views.Schedules.Named(request.Name) is not null)
            throw new ArgumentException($"a schedule named {request.Name} exists already; 'databuild schedule remove {request.Name}' first");
        if (request.Ttl is { } ttl && request.Sla > ttl)
            throw new ArgumentException($"the SLA ({Durations.Format(request.Sla.Value)}) is longer than the TTL ({Durations.Format(ttl)})");
        var added = new ScheduleEvent
        {
            ScheduleId = WantIds.NewRoot(engine.Log.Clock),
            Name = request.Name,
            Status = ScheduleStatus.ScheduleAdded,
            Cron = request.Cron.Trim(),
            Timezone = request.Timezone,
            OffsetSeconds = (long)request.Offset.TotalSeconds,
            StartTime = request.Start is { } start ? BuildEventLog.UnixNanos(start) : 0,
            Catchup = request.Catchup,
            TtlSeconds = request.Ttl is { } t ? (long)t.TotalSeconds : 0,
            SlaSeconds = request.Sla is { } s ? (long)s.TotalSeconds : 0,
            RequestedBy = request.RequestedBy,
        };
        added.Partitions.AddRange(request.Partitions);
        var spec = ScheduleSpec.Parse(added);
        // The next tick's refs must be ones the graph builds, as a want's are.
        var next = spec.NextTick(engine.Log.Clock.GetUtcNow())
            ?? throw new ArgumentException($"the cron expression '{request.Cron}' has no tick from now on");
        engine.ValidateRequest(spec.PartitionsFor(next));
        engine.Log.Append(new BuildEvent { ScheduleEvent = added });
        return Views(engine).Schedules.Get(added.ScheduleId)!;
    }

    public static void Pause(BuildEngine engine, string name) => Move(engine, name, ScheduleStatus.SchedulePaused, s => s.IsPaused ? "is paused already" : null);

    public static void Resume(BuildEngine engine, string name) => Move(engine, name, ScheduleStatus.ScheduleResumed, s => s.IsPaused ? null : "is not paused");

    /// <summary>Removes the schedule; the wants its ticks made stay, and the reconciler goes on with them.</summary>
    public static void Remove(BuildEngine engine, string name) => Move(engine, name, ScheduleStatus.ScheduleRemoved, _ => null);

    /// <summary>
    /// <c>--start</c>: a date (midnight in the schedule's zone) or an ISO 8601 time with an offset. Throws
    /// <see cref="FormatException"/> naming what it expects.
    /// </summary>
    public static DateTimeOffset ParseStart(string text, string timezone)
    {
        var zone = ScheduleSpec.ParseZone(timezone);
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
            return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
        }
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && text.Contains('T'))
            return time;
        throw new FormatException($"--start '{text}' is neither a date (2020-01-01) nor an ISO 8601 time with its offset (2020-01-01T06:00:00+01:00)");
    }

    /// <summary><c>--offset</c>: a duration with an optional sign, e.g. -1d or 6h.</summary>
    public static TimeSpan ParseOffset(string text) =>
        text.StartsWith('-') ? -Durations.Parse(text[1..], "--offset") : Durations.Parse(text.TrimStart('+'), "--offset");

    private static void Move(BuildEngine engine, string name, ScheduleStatus to, Func<ScheduleInfo, string?> refuse)
    {
        var schedule = Views(engine).Schedules.Named(name) ?? throw new ArgumentException($"no schedule named {name}; 'databuild schedule list' shows them");
        if (refuse(schedule) is { } why) throw new ArgumentException($"schedule {name} {why}");
        engine.Log.Append(new BuildEvent { ScheduleEvent = new ScheduleEvent { ScheduleId = schedule.ScheduleId, Name = name, Status = to } });
    }

    private static BuildEventViews Views(BuildEngine engine)
    {
        var views = new BuildEventViews();
        views.Refresh(engine.Log);
        return views;
    }
}
