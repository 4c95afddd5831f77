using System.CommandLine;
using DataBuild.Cli.Access;
using DataBuild.Execution;
using DataBuild.Proto;
using DataBuild.Rendering;

namespace DataBuild.Cli.Commands;

public static class BuildCommand
{
    private static readonly Argument<string[]> Refs = new("refs")
    {
        Description = "Partition refs to build, e.g. reviews/date=2020-01-01.",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<int?> Parallelism = new("--parallelism", "-j")
    {
        Description = "Job runs at once. Default: the number of processors.",
        CustomParser = WholeNumbers.OptionalInt32,
    };

    private static readonly Option<bool> Force = new("--force")
    {
        Description = "Rebuild the requested partitions even when they are available (their upstreams are not forced).",
    };

    private static readonly Option<bool> RebuildStale = new("--rebuild-stale")
    {
        Description = "Rebuild STALE partitions (the default; kept so older scripts work).",
    };

    private static readonly Option<bool> NoRebuildStale = new("--no-rebuild-stale")
    {
        Description = "Keep STALE partitions (an upstream was rebuilt later, or their job's code or major version changed) instead of rebuilding them.",
    };

    private static readonly Option<string?> BuildRequestId = new("--build-request-id")
    {
        Description = "Use this id for the build request instead of a new one.",
    };

    private static readonly Option<string> Progress = new("--progress")
    {
        Description = "How progress is shown: text (lines for people) or jsonl (one JSON object per event, for programs such as the MSBuild tasks).",
        DefaultValueFactory = _ => "text",
    };

    /// <summary>Shared with reconcile, which builds too.</summary>
    internal static readonly Option<int?> KillGraceSeconds = new("--kill-grace-seconds")
    {
        Description = "When a job run times out or the build is cancelled, its process group gets SIGTERM and, this many seconds later, SIGKILL. Default: 10.",
    };

    /// <summary>Shared with execute and backfill, which build too.</summary>
    internal static readonly Option<string?> Executor = new("--executor")
    {
        Description = "Run every job on this executor, whatever the graph says: local (child processes) or slurm (batch jobs on the Slurm cluster SLURM_CONF names). Default: each job's own (docs/executors.md).",
    };

    /// <summary>The kill grace the user asked for, checked.</summary>
    internal static TimeSpan KillGrace(ParseResult parse) => parse.GetValue(KillGraceSeconds) switch
    {
        null => ProcessRunner.DefaultKillGrace,
        < 0 and var seconds => throw new UsageException($"--kill-grace-seconds must be 0 or more, got {seconds}"),
        var seconds => TimeSpan.FromSeconds(seconds.Value),
    };

    /// <summary>The executor the user asked for every job to run on, or null for each job's own.</summary>
    internal static Graphs.ExecutorKind? ExecutorOverride(ParseResult parse) =>
        parse.GetValue(Executor) is { } executor ? Graphs.JobExecutor.ParseKind(executor) : null;

    static BuildCommand() => Executor.AcceptOnlyFromAmong([.. Graphs.JobExecutor.KindNames]);

    public static Command Create()
    {
        Progress.AcceptOnlyFromAmong("text", "jsonl");
        var command = new Command("build", "Build partitions and everything they need that is not available yet.")
        {
            Refs, Parallelism, Force, RebuildStale, NoRebuildStale, BuildRequestId, Progress, KillGraceSeconds, Executor,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunOnGraphAsync(parse, async graph =>
        {
            var parallelism = parse.GetValue(Parallelism);
            if (parallelism is < 1) throw new UsageException($"--parallelism must be at least 1, got {parallelism}");
            if (parse.GetValue(RebuildStale) && parse.GetValue(NoRebuildStale)) throw new UsageException("--rebuild-stale and --no-rebuild-stale contradict each other; give one");
            var request = new BuildCall(parse.GetValue(Refs)!, parse.GetValue(Force), !parse.GetValue(NoRebuildStale), parse.GetValue(BuildRequestId),
                parallelism, parse.GetValue(KillGraceSeconds) is null ? null : KillGrace(parse),
                ExecutorOverride(parse));
            var json = parse.GetValue(GlobalOptions.Json);
            using var printer = new ProgressPrinter(json ? null : Console.Out, !Console.IsOutputRedirected);
            IProgress<BuildProgress> progress = parse.GetValue(Progress) == "jsonl" ? new JsonLinesProgressWriter(Console.Out) : printer;
            var result = await graph.BuildAsync(request, progress, cancellationToken);
            printer.Finish();
            Console.WriteLine(json ? MessageJson.Indented(result) : ReportText.BuildSummary(result));
            return result.Status switch
            {
                BuildRequestStatus.BuildRequestCompleted => ExitCodes.Success,
                BuildRequestStatus.BuildRequestCancelled => ExitCodes.Interrupted,
                _ => ExitCodes.BuildFailed,
            };
        }));
        return command;
    }
}
