using System.CommandLine;
using DataBuild.Proto;
using DataBuild.Rendering;

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
        command.SetAction((parse, cancellationToken) => CommandRunner.RunOnGraphAsync(parse, async graph =>
        {
            var wants = await graph.WantsAsync(parse.GetValue(ActiveOnly), cancellationToken);
            var shown = parse.GetValue(Tree) ? InTreeOrder(wants) : wants.Select(w => (Want: w, Depth: 0)).ToArray();
            if (parse.GetValue(GlobalOptions.Json))
                Console.WriteLine(MessageJson.IndentedArray(parse.GetValue(Tree) ? Nested(shown) : wants));
            else
                ReportText.Wants(Console.Out, shown);
            return ExitCodes.Success;
        }));
        return command;
    }

    // Depth-first from the roots; a want whose parent is not shown (filtered out) starts its own tree.
    private static (WantDetail Want, int Depth)[] InTreeOrder(IReadOnlyList<WantDetail> wants)
    {
        var byParent = wants.ToLookup(w => w.ParentWantId, StringComparer.Ordinal);
        var shownIds = wants.Select(w => w.WantId).ToHashSet(StringComparer.Ordinal);
        var ordered = new List<(WantDetail, int)>();
        void Visit(WantDetail want, int depth)
        {
            ordered.Add((want, depth));
            foreach (var child in byParent[want.WantId]) Visit(child, depth + 1);
        }
        foreach (var root in wants.Where(w => !shownIds.Contains(w.ParentWantId))) Visit(root, 0);
        return ordered.ToArray();
    }

    // The tree as messages: each want a copy with its children under it.
    private static List<WantDetail> Nested((WantDetail Want, int Depth)[] shown)
    {
        var roots = new List<WantDetail>();
        var path = new List<WantDetail>();
        foreach (var (want, depth) in shown)
        {
            var node = want.Clone();
            if (depth == 0) roots.Add(node);
            else path[depth - 1].Children.Add(node);
            path.RemoveRange(depth, path.Count - depth);
            path.Add(node);
        }
        return roots;
    }
}
