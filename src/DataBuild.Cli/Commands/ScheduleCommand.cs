using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;
using DataBuild.Rendering;
using System.CommandLine;
using DataBuild.Events;
using DataBuild.Schedules;
using DataBuild.Views;
using DataBuild.Wants;

namespace DataBuild.Cli.Commands;

public static class ScheduleCommand
{
    private static readonly Argument<string> Name = new("name") { Description = "The schedule's name: letters, digits, '-', '_' or '.'." };

    private static readonly Option<string> Cron = new("--cron")
    {
        Description = "When it ticks, a cron expression: minute hour day month weekday, e.g. \"0 6 * * *\" (six fields: seconds first).",
        Required = true,
    };

    private static readonly Option<string[]> Partitions = new("--partitions")
    {
        Description = "The partitions each tick wants: templates with {scheduled_date} (yyyy-MM-dd) and {scheduled_time} (ISO 8601), ranges and sets.",
        Required = true,
        AllowMultipleArgumentsPerToken = true,
    };

    private static readonly Option<string?> Offset = new("--offset")
    {
        Description = "Added to the tick before filling the templates, e.g. -1d for the day before. Default: none.",
    };

    private static readonly Option<string?> Start = new("--start")
    {
        Description = "Ticks from this date (midnight in --timezone) or ISO 8601 time on; in the past, the ticks missed are caught up. Default: now.",
    };

    private static readonly Option<bool> NoCatchup = new("--no-catchup")
    {
        Description = "Only the latest tick due gets a want, not every tick missed since --start (or while nothing reconciled).",
    };

    private static readonly Option<string?> Ttl = new("--ttl") { Description = "Each tick's want expires this long after it is made, e.g. 7d. Default: never." };

    private static readonly Option<string?> Sla = new("--sla") { Description = "Each tick's want should be satisfied within this long, e.g. 2h. Default: none." };

    private static readonly Option<string> Timezone = new("--timezone")
    {
        Description = "The IANA time zone the cron expression and {scheduled_date} are read in, e.g. Europe/Berlin. Default: UTC.",
        DefaultValueFactory = _ => "",
    };

    public static Command Create()
    {
        var command = new Command("schedule",
            "Schedules: each tick of a cron expression becomes a want for its partitions, created by the reconciler ('databuild reconcile' or the service).")
        {
            CreateAdd(), CreateList(),
            CreateMove("pause", "Pause a schedule: ticks that fall while it is paused make no wants.", ScheduleCommands.Pause, "paused"),
            CreateMove("resume", "Resume a paused schedule.", ScheduleCommands.Resume, "resumed"),
            CreateMove("remove", "Remove a schedule; the wants its ticks made stay.", ScheduleCommands.Remove, "removed"),
        };
        return command;
    }

    private static Command CreateAdd()
    {
        var command = new Command("add", "Add a schedule.") { Name, Cron, Partitions, Offset, Start, NoCatchup, Ttl, Sla, Timezone };
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse, workspace =>
        {
            var zone = parse.GetValue(Timezone)!;
            var schedule = ScheduleCommands.Add(workspace.Engine, new ScheduleRequest(
                parse.GetValue(Name)!,
                parse.GetValue(Cron)!,
                parse.GetValue(Partitions)!,
                zone,
                parse.GetValue(Offset) is { } offset ? ScheduleCommands.ParseOffset(offset) : TimeSpan.Zero,
                parse.GetValue(Start) is { } start ? ScheduleCommands.ParseStart(start, zone) : null,
                !parse.GetValue(NoCatchup),
                parse.GetValue(Ttl) is { } ttl ? Durations.Parse(ttl, "--ttl") : null,
                parse.GetValue(Sla) is { } sla ? Durations.Parse(sla, "--sla") : null,
                $"{Environment.UserName}@{Environment.MachineName}"));
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(MessageJson.Indented(Detail(schedule, workspace.Log.Clock.GetUtcNow())));
            else Console.WriteLine($"Schedule {schedule.Name} added ({schedule.ScheduleId}); next tick {Next(schedule, workspace.Log.Clock.GetUtcNow())}. " +
                "'databuild reconcile' (or the service) makes its wants.");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Command CreateList()
    {
        var all = new Option<bool>("--all") { Description = "Removed schedules too." };
        var command = new Command("list", "List the schedules: state, cron, partitions, the next tick and the wants made.") { all };
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse, workspace =>
        {
            var now = workspace.Log.Clock.GetUtcNow();
            var views = workspace.Views();
            var schedules = (parse.GetValue(all) ? views.Schedules.All : views.Schedules.Current).ToArray();
            if (parse.GetValue(GlobalOptions.Json))
                Console.WriteLine(MessageJson.IndentedArray(schedules.Select(s => Detail(s, now))));
            else if (schedules.Length == 0) Console.WriteLine("No schedules; 'databuild schedule add' adds one.");
            else
                ReportText.Table(Console.Out, ["NAME", "STATE", "CRON", "TIMEZONE", "NEXT TICK", "LAST TICK", "WANTS", "PARTITIONS"], schedules.Select(s => (IReadOnlyList<string>)
                [
                    s.Name, State(s), s.Added.Cron, s.Added.Timezone.Length > 0 ? s.Added.Timezone : "UTC", Next(s, now),
                    s.LatestTick > 0 ? ReportText.Time(s.LatestTick) : "", s.WantsCreated.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    string.Join(" ", s.Added.Partitions),
                ]));
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static Command CreateMove(string verb, string description, Action<Engine.BuildEngine, string> move, string done)
    {
        var name = new Argument<string>("name") { Description = "The schedule's name." };
        var command = new Command(verb, description) { name };
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse, workspace =>
        {
            move(workspace.Engine, parse.GetValue(name)!);
            Console.WriteLine($"Schedule {parse.GetValue(name)} {done}.");
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static string State(ScheduleInfo s) => s.IsRemoved ? "removed" : s.IsPaused ? "paused" : "active";

    private static string Next(ScheduleInfo s, DateTimeOffset now) =>
        NextTick(s, now) is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'") : s.IsRemoved || s.IsPaused ? "" : "never";

    private static DateTimeOffset? NextTick(ScheduleInfo s, DateTimeOffset now) =>
        s.IsRemoved || s.IsPaused ? null : ScheduleSpec.Parse(s.Added).NextTick(now);

    private static ScheduleDetail Detail(ScheduleInfo s, DateTimeOffset now)
    {
        var detail = new ScheduleDetail
        {
            Name = s.Name,
            ScheduleId = s.ScheduleId,
            State = State(s),
            Cron = s.Added.Cron,
            Timezone = s.Added.Timezone,
            OffsetSeconds = s.Added.OffsetSeconds,
            StartTime = s.StartsAt,
            Catchup = s.Added.Catchup,
            TtlSeconds = s.Added.TtlSeconds,
            SlaSeconds = s.Added.SlaSeconds,
            NextTick = NextTick(s, now) is { } next ? next.ToUnixTimeMilliseconds() * 1_000_000 : 0,
            LastTick = s.LatestTick,
            WantsCreated = s.WantsCreated,
        };
        detail.Partitions.AddRange(s.Added.Partitions);
        return detail;
    }
}
