using System.CommandLine;
using System.Text.Json.Nodes;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Proto;

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
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async workspace =>
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
            if (parse.GetValue(Follow)) return await FollowAsync(workspace.Log.Storage, since, filter, json, cancellationToken);
            foreach (var stored in workspace.Log.ReadAll(since, filter, pageSize: Math.Min(1000, limit)).Take(limit))
                Console.WriteLine(json ? ToJson(stored) : Describe(stored));
            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task<int> FollowAsync(IEventStorage storage, long since, EventFilter filter, bool json, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var stored in storage.FollowAsync(since, filter, cancellationToken))
            {
                Console.WriteLine(json ? ToJson(stored) : Describe(stored));
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        return ExitCodes.Success;
    }

    private static string ToJson(StoredEvent stored) =>
        new JsonObject { ["index"] = stored.Index, ["event"] = Output.Proto(stored.Event) }.ToJsonString();

    /// <summary>One line per event: index, time, build request (short), what happened.</summary>
    public static string Describe(StoredEvent stored)
    {
        var e = stored.Event;
        var what = e.EventTypeCase switch
        {
            BuildEvent.EventTypeOneofCase.BuildRequestEvent => $"{ProtoNames.Of(e.BuildRequestEvent.Status)} {string.Join(" ", e.BuildRequestEvent.RequestedPartitions.Select(p => p.Str))} {e.BuildRequestEvent.Message}",
            BuildEvent.EventTypeOneofCase.PartitionEvent => $"{ProtoNames.Of(e.PartitionEvent.Status)} {e.PartitionEvent.PartitionRef.Str} {e.PartitionEvent.Message}",
            BuildEvent.EventTypeOneofCase.JobEvent => $"{ProtoNames.Of(e.JobEvent.Status)} {e.JobEvent.JobLabel.Label} run {e.JobEvent.JobRunId} {e.JobEvent.Message}",
            BuildEvent.EventTypeOneofCase.DelegationEvent => $"DELEGATED {e.DelegationEvent.PartitionRef.Str} to build request {e.DelegationEvent.DelegatedToBuildRequestId}",
            BuildEvent.EventTypeOneofCase.JobGraphEvent => $"JOB_GRAPH {e.JobGraphEvent.JobGraph.Nodes.Count} job runs",
            BuildEvent.EventTypeOneofCase.WantEvent => $"{ProtoNames.Of(e.WantEvent.Status)} want {e.WantEvent.WantId} {string.Join(" ", e.WantEvent.Partitions.Select(p => p.Str))} {e.WantEvent.Message}",
            BuildEvent.EventTypeOneofCase.HeartbeatEvent => $"HEARTBEAT {Owners.Describe(e.HeartbeatEvent.Owner)}",
            BuildEvent.EventTypeOneofCase.UpstreamEvent => $"{ProtoNames.Of(e.UpstreamEvent.Status)} {string.Join(" ", e.UpstreamEvent.PartitionRefs.Select(p => p.Str))} at {e.UpstreamEvent.UpstreamUrl} {e.UpstreamEvent.Message}",
            _ => "(empty event)",
        };
        return $"{stored.Index,8}  {Output.Time(e.Timestamp)}  {Short(e.BuildRequestId),-8}  {what.TrimEnd()}";
    }

    private static string Short(string id) => id.Length > 8 ? id[^8..] : id;
}
