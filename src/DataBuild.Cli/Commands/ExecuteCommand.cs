using DataBuild.Rendering;
using System.CommandLine;
using DataBuild.Engine;
using DataBuild.Proto;
using Google.Protobuf;

namespace DataBuild.Cli.Commands;

public static class ExecuteCommand
{
    private static readonly Argument<string> JobGraphFile = new("jobgraph.json")
    {
        Description = "A JobGraph written by 'databuild analyze --format json'.",
    };

    private static readonly Option<int?> Parallelism = new("--parallelism", "-j")
    {
        Description = "Job runs at once. Default: the number of processors.",
        CustomParser = WholeNumbers.OptionalInt32,
    };

    public static Command Create()
    {
        var command = new Command("execute",
            "Run a job graph analysed earlier ('databuild analyze --format json'): its tasks as analysed, no configure, outputs already " +
            "available skipped; recorded like a build. A job graph whose jobs or patterns no longer match the graph is refused.")
        {
            JobGraphFile, Parallelism, BuildCommand.KillGraceSeconds, BuildCommand.Executor,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async workspace =>
        {
            var parallelism = parse.GetValue(Parallelism);
            if (parallelism is < 1) throw new UsageException($"--parallelism must be at least 1, got {parallelism}");
            var path = parse.GetValue(JobGraphFile)!;
            if (!File.Exists(path)) throw new UsageException($"no job graph file '{path}'");
            JobGraph jobGraph;
            try
            {
                jobGraph = JsonParser.Default.Parse<JobGraph>(File.ReadAllText(path));
            }
            catch (InvalidProtocolBufferException e)
            {
                throw new UsageException($"'{path}' is not a JobGraph in protobuf JSON ('databuild analyze --format json' writes one): {e.Message}");
            }
            var options = workspace.DefaultOptions() with { Parallelism = parallelism ?? Environment.ProcessorCount, KillGrace = BuildCommand.KillGrace(parse), Executor = BuildCommand.ExecutorOverride(parse) };
            var json = parse.GetValue(GlobalOptions.Json);
            using var printer = new ProgressPrinter(json ? null : Console.Out, !Console.IsOutputRedirected);
            var result = await workspace.Engine.ExecuteAsync(jobGraph, options, printer, cancellationToken);
            printer.Finish();
            var response = new GraphExecuteResponse { Result = result };
            response.Manifests.AddRange(JobGraphExecution.Manifests(workspace.Log, workspace.Views(), result));
            if (json)
            {
                Console.WriteLine(MessageJson.Indented(response));
            }
            else
            {
                foreach (var manifest in response.Manifests)
                    Console.WriteLine($"{manifest.Task.Job.Label}: {string.Join(", ", manifest.Outputs.Select(o => o.Str))}");
                Console.WriteLine(ReportText.BuildSummary(result));
            }
            return result.Status switch
            {
                BuildRequestStatus.BuildRequestCompleted => ExitCodes.Success,
                BuildRequestStatus.BuildRequestCancelled => ExitCodes.Interrupted,
                _ => ExitCodes.BuildFailed,
            };
        }));
        return command;
    }
}
