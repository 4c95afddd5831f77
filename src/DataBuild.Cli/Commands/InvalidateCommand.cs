using System.CommandLine;
using DataBuild.Engine;
using DataBuild.Proto;
using DataBuild.Rendering;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Cli.Commands;

public static class InvalidateCommand
{
    private static readonly Argument<string[]> Selectors = new("refs-or-globs")
    {
        Description = "Built partitions to invalidate: refs, or globs (* within a segment, ** across segments).",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<string> Reason = new("--reason")
    {
        Description = "Why, recorded with the invalidation and shown by status.",
        DefaultValueFactory = _ => "",
    };

    public static Command Create()
    {
        var command = new Command("invalidate",
            "Record that built partitions must be rebuilt, deleting nothing: they are STALE until the next build rebuilds them (and what was built from them).")
        {
            Selectors, Reason,
        };
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse, workspace =>
        {
            IReadOnlyList<string> refs;
            try
            {
                refs = Invalidation.Record(workspace.Log, workspace.Views().Catalog, parse.GetValue(Selectors) ?? [], parse.GetValue(Reason) ?? "");
            }
            catch (ArgumentException e)
            {
                throw new UsageException(e.Message);
            }
            if (parse.GetValue(GlobalOptions.Json))
            {
                var list = new PartitionList();
                list.Partitions.AddRange(refs);
                Console.WriteLine(MessageJson.Indented(list));
            }
            else
            {
                Console.WriteLine($"Invalidated {refs.Count} partitions: {ListText.FirstAndMore(refs, 5)}. The next build rebuilds them.");
            }
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }
}
