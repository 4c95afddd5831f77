using System.CommandLine;
using DataBuild.Proto;
using DataBuild.Rendering;

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
        command.SetAction((parse, cancellationToken) => CommandRunner.RunOnGraphAsync(parse, async graph =>
        {
            var refs = await graph.InvalidateAsync(parse.GetValue(Selectors) ?? [], parse.GetValue(Reason) ?? "",
                $"{Environment.UserName}@{Environment.MachineName}", cancellationToken);
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
            return ExitCodes.Success;
        }));
        return command;
    }
}
