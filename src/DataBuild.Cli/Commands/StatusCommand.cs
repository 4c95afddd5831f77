using System.CommandLine;
using DataBuild.Refs;
using DataBuild.Rendering;

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
        command.SetAction((parse, cancellationToken) => CommandRunner.RunOnGraphAsync(parse, async graph =>
        {
            var selectors = parse.GetValue(Selectors) ?? [];
            foreach (var selector in selectors) PartitionPattern.Parse(selector);
            var partitions = await graph.PartitionsAsync(selectors, cancellationToken);
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(MessageJson.IndentedArray(partitions));
            else ReportText.Partitions(Console.Out, partitions, selected: selectors.Length > 0);
            return ExitCodes.Success;
        }));
        return command;
    }
}
