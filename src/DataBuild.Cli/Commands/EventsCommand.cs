using System.CommandLine;
using DataBuild.Proto;
using DataBuild.Rendering;

namespace DataBuild.Cli.Commands;

public static class EventsCommand
{
    private static readonly Option<long> Since = new("--since") { Description = "Only events after this index. Default: 0, from the start.", CustomParser = WholeNumbers.Int64 };
    private static readonly Option<string[]> Partition = new("--partition") { Description = "Only events about this partition ref (repeatable)." };
    private static readonly Option<string[]> Pattern = new("--pattern") { Description = "Only events about partitions matching this glob (repeatable)." };
    private static readonly Option<string[]> Job = new("--job") { Description = "Only events of this job label (repeatable)." };
    private static readonly Option<string[]> Run = new("--run") { Description = "Only events of this job run id (repeatable)." };
    private static readonly Option<string[]> Request = new("--build-request") { Description = "Only events of this build request id (repeatable)." };
    private static readonly Option<int> Limit = new("--limit") { Description = "At most this many events (with --follow: no limit).", DefaultValueFactory = _ => 1000, CustomParser = WholeNumbers.Int32 };
    private static readonly Option<bool> Follow = new("--follow", "-f") { Description = "Keep printing new events as they are appended, until Ctrl-C." };

    public static Command Create()
    {
        var command = new Command("events", "List Build Event Log events, oldest first. With --json, one JSON object per line: {\"index\":…,\"event\":{…}}.")
        {
            Since, Partition, Pattern, Job, Run, Request, Limit, Follow,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunOnGraphAsync(parse, async graph =>
        {
            var limit = parse.GetValue(Limit);
            if (limit < 1) throw new UsageException($"--limit must be at least 1, got {limit}");
            var since = parse.GetValue(Since);
            if (since < 0) throw new UsageException($"--since must be an event index, 0 or more, got {since}");
            var filter = new EventFilter();
            filter.PartitionRefs.AddRange(parse.GetValue(Partition) ?? []);
            filter.PartitionPatterns.AddRange(parse.GetValue(Pattern) ?? []);
            filter.JobLabels.AddRange(parse.GetValue(Job) ?? []);
            filter.JobRunIds.AddRange(parse.GetValue(Run) ?? []);
            filter.BuildRequestIds.AddRange(parse.GetValue(Request) ?? []);
            foreach (var glob in filter.PartitionPatterns) Refs.PartitionPattern.Parse(glob);
            var json = parse.GetValue(GlobalOptions.Json);
            try
            {
                var events = parse.GetValue(Follow) ? graph.FollowAsync(since, filter, cancellationToken) : graph.EventsAsync(since, filter, limit, cancellationToken);
                await foreach (var stored in events) Console.WriteLine(json ? MessageJson.Line(stored) : ReportText.Event(stored));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && parse.GetValue(Follow))
            {
                // Ctrl-C ends --follow, as documented: exit 0.
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
