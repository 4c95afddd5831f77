using System.CommandLine;
using DataBuild.Rendering;
using Google.Protobuf;

namespace DataBuild.Cli.Commands;

public static class AnalyzeCommand
{
    private static readonly Argument<string[]> Refs = new("refs")
    {
        Description = "Partition refs to analyse.",
        Arity = ArgumentArity.OneOrMore,
    };

    private static readonly Option<string> Format = new("--format")
    {
        Description = "json: the JobGraph (protobuf JSON); mermaid: a flowchart coloured by partition status.",
        DefaultValueFactory = _ => "json",
    };

    private static readonly Option<bool> Missing = new("--missing-only")
    {
        Description = "Stop at partitions that are already available, showing only what a build would run.",
    };

    public static Command Create()
    {
        Format.AcceptOnlyFromAmong("json", "mermaid");
        var command = new Command("analyze", "Show the job graph that builds partitions: every job run and its inputs, without running anything.")
        {
            Refs, Format, Missing,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async workspace =>
        {
            var views = workspace.Views();
            Func<string, bool>? prune = parse.GetValue(Missing)
                ? r => views.Catalog.IsAvailable(r, workspace.Engine.JobVersions)
                : null;
            var analysis = await workspace.Engine.AnalyzeAsync(parse.GetValue(Refs)!, prune, Environment.ProcessorCount, cancellationToken);
            Console.Write(parse.GetValue(Format) == "mermaid"
                ? MermaidFlowchart.Render(analysis, views.Catalog, workspace.Engine.JobVersions)
                : JsonFormatter.Default.Format(analysis.ToJobGraph()) + "\n");
            return ExitCodes.Success;
        }));
        return command;
    }
}
