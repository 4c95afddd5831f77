using System.CommandLine;
using System.Text.Json.Nodes;
using DataBuild.Events;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;
using DataBuild.Refs;
using DataBuild.Views;

namespace DataBuild.Cli.Commands;

public static class StatusCommand
{
    private static readonly Argument<string[]> Selectors = new("refs-or-globs")
    {
        Description = "Partition refs or globs (* within a segment, ** across segments). Default: every partition the log knows.",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Command Create()
    {
        var command = new Command("status", "Show the catalog: the status of partitions, and the build request and job run behind each.")
        {
            Selectors,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse, workspace =>
        {
            var selectors = parse.GetValue(Selectors) ?? [];
            var patterns = selectors.Select(PartitionPattern.Parse).ToArray();
            var views = workspace.Views();
            var catalog = views.Catalog;
            string BackfillOf(PartitionState s) => views.Requests.Get(s.BuildRequestId)?.BackfillId ?? "";
            var states = catalog.Query(selectors, workspace.Engine.JobVersions).ToList();
            // A ref asked for by name that the log never mentioned is shown, not silently left out.
            foreach (var literal in patterns.Where(p => p.IsLiteral && catalog.Get(p.Text) is null))
                states.Add(new PartitionState(literal.Text, PartitionStatus.PartitionUnknown, "", "", 0, null, "never requested", ""));
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(new JsonArray(states.Select(s => (JsonNode?)ToJson(s, BackfillOf(s))).ToArray()).ToJsonString(Output.JsonOptions));
                return Task.FromResult(ExitCodes.Success);
            }
            if (states.Count == 0)
            {
                Console.WriteLine(selectors.Length == 0 ? "The event log has no partitions yet." : "No partition matches.");
                return Task.FromResult(ExitCodes.Success);
            }
            // The BACKFILL column shows only when a partition shown was built by a backfill (databuild backfill).
            var backfills = states.Any(s => BackfillOf(s).Length > 0);
            string[] header = backfills ? ["PARTITION", "STATUS", "BUILT AT", "JOB RUN", "BACKFILL", "NOTE"] : ["PARTITION", "STATUS", "BUILT AT", "JOB RUN", "NOTE"];
            Output.Table(Console.Out, header, states.Select(s =>
            {
                var row = new List<string> { s.Ref, ProtoNames.Of(s.Status).Replace("PARTITION_", ""), Output.Time(s.LastBuilt?.Timestamp ?? 0), s.JobRunId };
                if (backfills) row.Add(BackfillOf(s));
                row.Add(s.StaleReason.Length > 0 ? s.StaleReason : s.Message);
                return (IReadOnlyList<string>)row;
            }));
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static JsonObject ToJson(PartitionState s, string backfillId) => new()
    {
        ["ref"] = s.Ref,
        ["status"] = ProtoNames.Of(s.Status),
        ["buildRequestId"] = s.BuildRequestId,
        ["jobRunId"] = s.JobRunId,
        ["builtAt"] = Output.Time(s.LastBuilt?.Timestamp ?? 0),
        ["lastEventIndex"] = s.LastIndex,
        ["staleReason"] = s.StaleReason,
        ["message"] = s.Message,
        ["backfillId"] = backfillId,
    };
}
