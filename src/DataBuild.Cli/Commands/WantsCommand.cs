using System.CommandLine;
using System.Text.Json.Nodes;
using DataBuild.Wants;

namespace DataBuild.Cli.Commands;

public static class WantsCommand
{
    private static readonly Option<bool> Tree = new("--tree")
    {
        Description = "Show each want under the want whose build found its partitions missing (with --json: nested under \"children\").",
    };

    private static readonly Option<bool> ActiveOnly = new("--active")
    {
        Description = "Only active wants.",
    };

    public static Command Create()
    {
        var command = new Command("wants",
            "List wants, oldest first: state (active, satisfied, expired, cancelled), SLA (on time, at risk, missed), " +
            "partitions, and what each waits for or why it fails.")
        {
            Tree, ActiveOnly,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse, workspace =>
        {
            var views = workspace.Views();
            var now = workspace.Log.Clock.GetUtcNow();
            var reports = views.Wants.All
                .Where(w => !parse.GetValue(ActiveOnly) || w.IsActive)
                .Select(w => WantReport.Of(w, views.Catalog, workspace.Engine.Lookup, now))
                .ToArray();
            var shown = parse.GetValue(Tree) ? InTreeOrder(reports) : reports.Select(r => (Report: r, Depth: 0)).ToArray();
            if (parse.GetValue(GlobalOptions.Json))
            {
                var json = parse.GetValue(Tree) ? Nested(shown) : new JsonArray(reports.Select(r => (JsonNode?)WantJson.Of(r)).ToArray());
                Console.WriteLine(json.ToJsonString(Output.JsonOptions));
                return Task.FromResult(ExitCodes.Success);
            }
            if (shown.Length == 0)
            {
                Console.WriteLine("No wants. 'databuild want <refs…>' makes one.");
                return Task.FromResult(ExitCodes.Success);
            }
            Output.Table(Console.Out, ["WANT", "STATE", "SLA", "PARTITIONS", "NOTE"], shown.Select(s => (IReadOnlyList<string>)
            [
                (s.Depth == 0 ? "" : new string(' ', 3 * (s.Depth - 1)) + "└─ ") + s.Report.Want.WantId,
                WantJson.StateName(s.Report.State) + (s.Report.Failing ? " (failing)" : ""),
                WantJson.SlaName(s.Report.Sla).Replace('_', ' '),
                WantRules.Describe(s.Report.Want.Partitions),
                s.Report.Note,
            ]));
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    // Depth-first from the roots; a want whose parent is not shown (filtered out) starts its own tree.
    private static (WantReport Report, int Depth)[] InTreeOrder(IReadOnlyList<WantReport> reports)
    {
        var byParent = reports.ToLookup(r => r.Want.ParentWantId, StringComparer.Ordinal);
        var shownIds = reports.Select(r => r.Want.WantId).ToHashSet(StringComparer.Ordinal);
        var ordered = new List<(WantReport, int)>();
        void Visit(WantReport report, int depth)
        {
            ordered.Add((report, depth));
            foreach (var child in byParent[report.Want.WantId]) Visit(child, depth + 1);
        }
        foreach (var root in reports.Where(r => !shownIds.Contains(r.Want.ParentWantId))) Visit(root, 0);
        return ordered.ToArray();
    }

    private static JsonArray Nested((WantReport Report, int Depth)[] shown)
    {
        var roots = new JsonArray();
        var path = new List<JsonArray> { roots };
        foreach (var (report, depth) in shown)
        {
            var node = WantJson.Of(report);
            var children = new JsonArray();
            node["children"] = children;
            path[depth].Add(node);
            path.RemoveRange(depth + 1, path.Count - depth - 1);
            path.Add(children);
        }
        return roots;
    }
}
