using DataBuild.Core.Tests.Wants;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Schedules;
using DataBuild.Views;
using DataBuild.Wants;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Core.Tests.Schedules;

/// <summary>Schedules: validated events, ticks made into wants by reconcilers, catchup, pauses.</summary>
public sealed class ScheduleTests : IDisposable
{
    private readonly WantsGraph _graph = new();

    public void Dispose() => _graph.Dispose();

    private DateTimeOffset Now => _graph.Clock.GetUtcNow();

    private ScheduleRequest Daily(string name, DateTimeOffset? start, bool catchup = true, TimeSpan? offset = null) =>
        new(name, "0 6 * * *", ["ok/{scheduled_date}"], "", offset ?? TimeSpan.Zero, start, catchup, TimeSpan.FromDays(30), null, "tester");

    private List<WantEvent> ScheduledWants() =>
        _graph.Workspace.Log.ReadAll().Select(e => e.Event.WantEvent).Where(w => w is { Status: WantStatus.WantCreated, ScheduleId.Length: > 0 }).ToList();

    // Every 06:00 UTC from the start up to now, worked out without Cronos.
    private static List<string> DailyTicks(DateTimeOffset start, DateTimeOffset now, int offsetDays = 0)
    {
        var ticks = new List<string>();
        for (var day = start.UtcDateTime.Date; day.AddHours(6) <= now.UtcDateTime; day = day.AddDays(1))
            if (day.AddHours(6) >= start.UtcDateTime) ticks.Add($"ok/{day.AddDays(offsetDays):yyyy-MM-dd}");
        return ticks;
    }

    [Fact]
    public async Task Catchup_under_two_concurrent_reconcilers_creates_each_ticks_want_once_and_builds_each_partition_once()
    {
        var start = new DateTimeOffset(Now.UtcDateTime.Date.AddDays(-12), TimeSpan.Zero);
        ScheduleCommands.Add(_graph.Workspace.Engine, Daily("daily", start, offset: TimeSpan.FromDays(-1)));
        using var other = GraphWorkspace.Open(_graph.Folder, clock: _graph.Clock);
        var first = new Reconciler(_graph.Workspace.Engine, _graph.Options);
        var second = new Reconciler(other.Engine, _graph.Options with { LogDirectory = other.LogDirectory });

        var passes = await Task.WhenAll(Task.Run(() => first.RunPassAsync()), Task.Run(() => second.RunPassAsync()));

        var expected = DailyTicks(start, Now, offsetDays: -1);
        Assert.InRange(expected.Count, 12, 13);
        var wants = ScheduledWants();
        Assert.Equal(expected, wants.Select(w => Assert.Single(w.Partitions).Str).Order().ToList());
        Assert.Equal(wants.Count, wants.Select(w => w.WantId).Distinct().Count());
        Assert.All(wants, w => Assert.Equal(WantIds.Tick(w.ScheduleId, w.ScheduledTime), w.WantId));
        // Builds for the same partitions delegate to each other: each is built once.
        Assert.Equal(expected, _graph.Runs().Order().ToList());
        Assert.All(passes, p => Assert.False(p.BuildFailed));
        Assert.All(_graph.Workspace.Views().Wants.All, w => Assert.Equal(WantStatus.WantSatisfied, w.Status));

        var again = await second.RunPassAsync();
        Assert.Equal(0, again.ScheduledWants);
        Assert.Equal(wants.Count, ScheduledWants().Count);
    }

    [Fact]
    public async Task A_reader_that_starts_from_a_view_snapshot_knows_the_schedules_as_one_that_folded_the_log()
    {
        var start = new DateTimeOffset(Now.UtcDateTime.Date.AddDays(-3), TimeSpan.Zero);
        ScheduleCommands.Add(_graph.Workspace.Engine, Daily("daily", start));
        await new Reconciler(_graph.Workspace.Engine, _graph.Options).RunPassAsync();
        ScheduleCommands.Pause(_graph.Workspace.Engine, "daily");
        Assert.NotNull(ViewSnapshots.Write(_graph.Workspace.Log, _graph.Workspace.Views()));

        using var fromSnapshot = GraphWorkspace.Open(_graph.Folder, clock: _graph.Clock);
        var schedule = Assert.Single(fromSnapshot.Views().Schedules.All);
        var folded = Assert.Single(_graph.Workspace.Views().Schedules.All);
        Assert.Equal((folded.ScheduleId, folded.Status, folded.WantsCreated, folded.LatestTick), (schedule.ScheduleId, schedule.Status, schedule.WantsCreated, schedule.LatestTick));
        Assert.True(schedule.IsPaused);
        // Its validator, too, starts from the snapshot: resuming a paused schedule is a valid next state there.
        ScheduleCommands.Resume(fromSnapshot.Engine, "daily");
        Assert.False(Assert.Single(fromSnapshot.Views().Schedules.All).IsPaused);
    }

    [Fact]
    public async Task Without_catchup_only_the_latest_tick_gets_a_want_then_each_new_tick_one()
    {
        var start = Now.AddDays(-40);
        ScheduleCommands.Add(_graph.Workspace.Engine, Daily("latest", start, catchup: false));
        var reconciler = new Reconciler(_graph.Workspace.Engine, _graph.Options);

        var pass = await reconciler.RunPassAsync();

        Assert.Equal(1, pass.ScheduledWants);
        Assert.Equal([DailyTicks(start, Now)[^1]], ScheduledWants().Select(w => w.Partitions[0].Str));
        _graph.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await reconciler.RunPassAsync()).ScheduledWants);
        Assert.Equal(2, ScheduledWants().Count);
    }

    [Fact]
    public async Task Ticks_that_fall_while_paused_make_no_wants_and_a_removed_schedule_none_at_all()
    {
        ScheduleCommands.Add(_graph.Workspace.Engine, Daily("paused", start: null));
        var reconciler = new Reconciler(_graph.Workspace.Engine, _graph.Options);
        ScheduleCommands.Pause(_graph.Workspace.Engine, "paused");
        _graph.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(0, (await reconciler.RunPassAsync()).ScheduledWants);

        ScheduleCommands.Resume(_graph.Workspace.Engine, "paused");
        Assert.Equal(0, (await reconciler.RunPassAsync()).ScheduledWants);
        _graph.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(1, (await reconciler.RunPassAsync()).ScheduledWants);

        ScheduleCommands.Remove(_graph.Workspace.Engine, "paused");
        _graph.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(0, (await reconciler.RunPassAsync()).ScheduledWants);
        Assert.Single(ScheduledWants());
    }

    [Fact]
    public void Templates_fill_the_tick_after_the_offset_in_the_schedules_time_zone_and_expand()
    {
        var spec = ScheduleSpec.Parse(new ScheduleEvent
        {
            Name = "berlin", Cron = "30 0 * * *", Timezone = "Europe/Berlin", OffsetSeconds = -86400,
            Partitions = { "d/c={a,b}/date={scheduled_date}", "t/{scheduled_time}" },
        });
        // 00:30 in Berlin on 1 March 2020 is 23:30 UTC on 29 February; the day before it, in Berlin, is 29 February.
        var tick = new DateTimeOffset(2020, 2, 29, 23, 30, 0, TimeSpan.Zero);
        Assert.Equal(["d/c=a/date=2020-02-29", "d/c=b/date=2020-02-29", "t/2020-02-29T00:30:00+01:00"], spec.PartitionsFor(tick));
        Assert.Equal(tick, spec.NextTick(tick.AddMinutes(-1)));
    }

    [Fact]
    public void A_schedule_that_cannot_tick_into_valid_refs_is_refused_and_nothing_is_written()
    {
        var engine = _graph.Workspace.Engine;
        Assert.Contains("not a cron expression", Assert.Throws<FormatException>(() => ScheduleCommands.Add(engine, Daily("bad", null) with { Cron = "61 * * * *" })).Message);
        Assert.Contains("{day}", Assert.Throws<FormatException>(() => ScheduleCommands.Add(engine, Daily("bad", null) with { Partitions = ["ok/{day}"] })).Message);
        Assert.Contains("not a time zone", Assert.Throws<FormatException>(() => ScheduleCommands.Add(engine, Daily("bad", null) with { Timezone = "Mars/Olympus" })).Message);
        Assert.Throws<DataBuild.Graphs.LookupException>(() => ScheduleCommands.Add(engine, Daily("bad", null) with { Partitions = ["nojob/{scheduled_date}"] }));
        ScheduleCommands.Add(engine, Daily("twice", null));
        Assert.Contains("exists already", Assert.Throws<ArgumentException>(() => ScheduleCommands.Add(engine, Daily("twice", null))).Message);
        Assert.Single(_graph.Workspace.Log.ReadAll(), e => e.Event.ScheduleEvent is not null);
    }

    [Fact]
    public void The_log_refuses_schedule_events_and_scheduled_wants_that_break_the_rules()
    {
        var log = _graph.Workspace.Log;
        var id = Guid.NewGuid().ToString();
        var badCron = new BuildEvent { ScheduleEvent = new ScheduleEvent { ScheduleId = id, Name = "s", Status = ScheduleStatus.ScheduleAdded, Cron = "nope", Partitions = { "ok/1" } } };
        Assert.Contains("not a cron expression", Assert.Throws<InvalidEventException>(() => log.Append(badCron)).Message);
        var pauseUnknown = new BuildEvent { ScheduleEvent = new ScheduleEvent { ScheduleId = id, Name = "s", Status = ScheduleStatus.SchedulePaused } };
        Assert.Throws<InvalidEventException>(() => log.Append(pauseUnknown));
        var orphan = WantEvents.Created(WantIds.Tick(id, 1), ["ok/1"], null, null, "x", "y");
        orphan.WantEvent.ScheduleId = id;
        orphan.WantEvent.ScheduledTime = 1;
        Assert.Contains("does not exist or was removed", Assert.Throws<InvalidEventException>(() => log.Append(orphan)).Message);
        var schedule = ScheduleCommands.Add(_graph.Workspace.Engine, Daily("real", null));
        var wrongId = WantEvents.Created(Guid.NewGuid().ToString(), ["ok/1"], null, null, "x", "y");
        wrongId.WantEvent.ScheduleId = schedule.ScheduleId;
        Assert.Contains("WantIds.Tick", Assert.Throws<InvalidEventException>(() => log.Append(wrongId)).Message);
    }
}
