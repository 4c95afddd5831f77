using System.CommandLine;
using System.Globalization;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Rendering;
using DataBuild.Wants;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Cli.Commands;

public static class CompactCommand
{
    private static readonly Option<string> Before = new("--before")
    {
        Description = "Drop the events before this index, or older than this duration (e.g. 30d, 12h). Never past the newest view snapshot. " +
            "Without it, a log kept in many files (delta:) has them rewritten into few, no event dropped.",
    };

    private static readonly Option<string> Archive = new("--archive")
    {
        Description = "Write the dropped events to this new file first, as JSON lines (gzip-compressed when it ends in .gz).",
    };

    private static readonly Option<bool> Discard = new("--discard") { Description = "Drop the events without keeping them anywhere." };

    public static Command Create()
    {
        var command = new Command("compact",
            "Drop the oldest events from the live event log once a view snapshot holds their effect (write one with `databuild snapshot`), " +
            "after archiving them (--archive) or not (--discard). The catalog, live builds and wants are kept; the history of old runs and " +
            "build requests is what goes, and reads of events below the retained range are refused with the index they can start from. " +
            "On a delta: log, which keeps every event, compact without --before rewrites its small data files into few.")
        {
            Before, Archive, Discard,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse, workspace =>
        {
            var archive = parse.GetValue(Archive);
            var discard = parse.GetValue(Discard);
            if (parse.GetValue(Before) is null) return Task.FromResult(CompactFiles(parse, workspace));
            if ((archive is null) == !discard) throw new UsageException("give exactly one of --archive <file.jsonl[.gz]> and --discard");
            var log = workspace.Log;
            var before = BeforeIndex(log, parse.GetValue(Before)!);
            var result = LogCompaction.Run(log, workspace.Views(), before, archive);
            if (result.KeptForRequest is { } live)
                Console.Error.WriteLine($"databuild: keeping the events from {result.FirstRetainedIndex} on: build request {live} is not finished, and recovering it reads them");
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(MessageJson.Indented(new CompactReport
                {
                    Bel = workspace.BelUri,
                    Dropped = result.Dropped,
                    FirstRetainedIndex = result.FirstRetainedIndex,
                    Archive = result.Dropped > 0 ? result.Archive ?? "" : "",
                    SnapshotIndex = result.SnapshotIndex,
                }));
            }
            else if (result.Dropped == 0) Console.WriteLine($"{workspace.BelUri}: nothing to compact: the log starts at event {result.FirstRetainedIndex}.");
            else
            {
                var fate = result.Archive is null ? "discarded" : $"archived in {result.Archive}";
                Console.WriteLine($"{workspace.BelUri}: dropped {result.Dropped:N0} events ({result.FirstRetainedIndex - result.Dropped}-{result.FirstRetainedIndex - 1}, {fate}); " +
                    $"the log now starts at event {result.FirstRetainedIndex}, and its view snapshot at event {result.SnapshotIndex} holds their effect.");
            }
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    // Without --before: the data files of a log kept in many (delta:) rewritten into few.
    private static int CompactFiles(ParseResult parse, GraphWorkspace workspace)
    {
        if (workspace.Log.Storage.FileCompaction is not { } files)
            throw new UsageException($"--before is required: the BEL {workspace.BelUri} is not kept in many files; give an event index or a duration (e.g. 30d) to drop the events before it");
        if (parse.GetValue(Archive) is not null || parse.GetValue(Discard))
            throw new UsageException("--archive and --discard go with --before: rewriting the data files drops no event");
        var report = files.CompactFiles();
        if (parse.GetValue(GlobalOptions.Json))
            Console.WriteLine(MessageJson.Indented(new FileCompactReport
            {
                Bel = workspace.BelUri,
                FilesRemoved = report.FilesRemoved,
                FilesAdded = report.FilesAdded,
                Version = report.Version,
                LeftoversDeleted = report.LeftoversDeleted,
            }));
        else if (report.Version < 0)
            Console.WriteLine($"{workspace.BelUri}: nothing to rewrite: no run of small data files; {report.LeftoversDeleted} leftovers of crashed writers deleted.");
        else
            Console.WriteLine($"{workspace.BelUri}: rewrote {report.FilesRemoved} data files into {report.FilesAdded} (version {report.Version}, no event changed); " +
                $"{report.LeftoversDeleted} leftovers of crashed writers deleted.");
        return ExitCodes.Success;
    }

    // An index (a whole number), or a duration: the first event written less than that long ago.
    private static long BeforeIndex(BuildEventLog log, string text)
    {
        if (text.All(char.IsAsciiDigit) && text.Length > 0)
        {
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index < 1)
                throw new UsageException($"--before {text}: an event index must be 1 or more");
            return index;
        }
        return LogCompaction.FirstIndexAtOrAfter(log, DateTimeOffset.UtcNow - Durations.Parse(text, "--before"));
    }
}
