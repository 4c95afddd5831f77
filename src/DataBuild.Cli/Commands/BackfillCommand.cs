using System.CommandLine;
using DataBuild.Backfills;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Rendering;

namespace DataBuild.Cli.Commands;

public static class BackfillCommand
{
    private static readonly Argument<string[]> Templates = new("ref-templates")
    {
        Description = "Refs with ranges and sets, e.g. 'daily/date={2020-01-01..2020-03-31}' or 'n={01..31}/category={comedy,news}'.",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<int?> Chunk = new("--chunk")
    {
        Description = $"Partitions per build request. Default: {BackfillRunner.DefaultChunkSize}.",
        CustomParser = WholeNumbers.OptionalInt32,
    };

    private static readonly Option<bool> NewestFirst = new("--newest-first")
    {
        Description = "Build the latest range values first (default: oldest first).",
    };

    private static readonly Option<int?> Parallelism = new("--parallelism", "-j")
    {
        Description = "Job runs at once within a chunk. Default: the number of processors.",
        CustomParser = WholeNumbers.OptionalInt32,
    };

    public static Command Create()
    {
        var command = new Command("backfill",
            "Build a large range of partitions in chunks, one build request each, oldest first. Ctrl-C stops it; the same command " +
            "resumes it, skipping what is available. Ends with the failures and their job runs.")
        {
            Templates, Chunk, NewestFirst, Parallelism, BuildCommand.KillGraceSeconds, BuildCommand.Executor,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async workspace =>
        {
            var parallelism = parse.GetValue(Parallelism);
            if (parallelism is < 1) throw new UsageException($"--parallelism must be at least 1, got {parallelism}");
            var chunk = parse.GetValue(Chunk) ?? BackfillRunner.DefaultChunkSize;
            if (chunk < 1) throw new UsageException($"--chunk must be at least 1, got {chunk}");
            var options = workspace.DefaultOptions() with
            {
                Parallelism = parallelism ?? Environment.ProcessorCount,
                KillGrace = BuildCommand.KillGrace(parse),
                Executor = BuildCommand.ExecutorOverride(parse),
            };
            var json = parse.GetValue(GlobalOptions.Json);
            using var printer = new ProgressPrinter(json ? null : Console.Out, live: false);
            var progress = new Progress(json ? null : Console.Out);
            var result = await BackfillRunner.RunAsync(workspace.Engine, new BackfillRequest(parse.GetValue(Templates)!, chunk, parse.GetValue(NewestFirst)),
                options, progress, printer, cancellationToken);
            Console.WriteLine(json ? MessageJson.Indented(Report(result)) : BackfillText.Summary(result));
            return result.Status switch
            {
                BackfillStatus.BackfillCompleted => ExitCodes.Success,
                BackfillStatus.BackfillCancelled => ExitCodes.Interrupted,
                _ => ExitCodes.BuildFailed,
            };
        }));
        return command;
    }

    // Written as it happens (IProgress<T> of the framework would post to the thread pool, out of order).
    private sealed class Progress(TextWriter? writer) : IProgress<BackfillProgress>
    {
        public void Report(BackfillProgress value) => writer?.WriteLine($"[{DateTime.Now:HH:mm:ss}] {BackfillText.Line(value)}");
    }

    private static BackfillReport Report(BackfillResult r)
    {
        var report = new BackfillReport
        {
            BackfillId = r.BackfillId,
            Status = r.Status,
            Partitions = r.Partitions,
            AlreadyAvailable = r.SkippedAvailable,
            Built = r.Built,
        };
        report.BuildRequestIds.AddRange(r.BuildRequestIds);
        report.Failures.AddRange(r.Failures.Select(f => new Proto.BackfillFailure
        {
            Partition = f.Partition,
            JobRunId = f.JobRunId,
            BuildRequestId = f.BuildRequestId,
            Message = f.Message,
        }));
        return report;
    }
}
