using System.CommandLine;
using DataBuild.Proto;
using DataBuild.Refs;
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
        Description = "json: the JobGraph (protobuf JSON), which 'databuild execute' runs; mermaid: a flowchart coloured by partition status; " +
            "bash: a standalone POSIX shell script that runs the job graph's exec steps without DataBuild.",
        DefaultValueFactory = _ => "json",
    };

    private static readonly Option<bool> Missing = new("--missing-only")
    {
        Description = "Stop at partitions that are already available, showing only what a build would run.",
    };

    public static Command Create()
    {
        Format.AcceptOnlyFromAmong("json", "mermaid", "bash");
        var command = new Command("analyze", "Show the job graph that builds partitions: every job run and its inputs, without running anything.")
        {
            Refs, Format, Missing,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async workspace =>
        {
            var views = workspace.Views();
            Func<string, bool>? prune = parse.GetValue(Missing)
                ? r => views.Catalog.IsAvailable(r, workspace.Engine.JobIdentities)
                : null;
            var requested = parse.GetValue(Refs)!;
            var analysis = await workspace.Engine.AnalyzeAsync(requested, prune, Environment.ProcessorCount, cancellationToken);
            foreach (var template in requested.Where(RefExpansion.HasGroups))
            {
                var refs = RefExpansion.Expand(template);
                Console.Error.WriteLine($"databuild: {template} expands to {refs.Count} refs: {ListText.FirstAndMore(refs, 5)}");
            }
            Console.Write(parse.GetValue(Format) switch
            {
                "mermaid" => MermaidFlowchart.Render(analysis, views.Catalog, workspace.Engine.JobIdentities),
                "bash" => BashScript.Render(analysis, workspace.Manifest, new BashScriptSource(requested, workspace.Log.Clock.GetUtcNow(),
                    views.Runs.All.Where(r => r.Status == JobStatus.JobMissingDeps).Select(r => r.JobLabel).ToHashSet(StringComparer.Ordinal))),
                _ => JsonFormatter.Default.Format(analysis.ToJobGraph()) + "\n",
            });
            return ExitCodes.Success;
        }));
        return command;
    }
}
