using System.CommandLine;
using DataBuild.Rendering;

namespace DataBuild.Cli.Commands;

public static class RunsCommand
{
    private static readonly Option<string[]> Job = new("--job") { Description = "Only runs of this job label (repeatable)." };
    private static readonly Option<string?> Request = new("--build-request") { Description = "Only runs of this build request id." };
    private static readonly Option<int> Limit = new("--limit") { Description = "Show the latest N runs.", DefaultValueFactory = _ => 50, CustomParser = WholeNumbers.Int32 };

    public static Command Create()
    {
        var command = new Command("runs", "List job runs, latest last: job, status, attempt, exit code, duration, outputs.")
        {
            Job, Request, Limit,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunOnGraphAsync(parse, async graph =>
        {
            var limit = parse.GetValue(Limit);
            if (limit < 1) throw new UsageException($"--limit must be at least 1, got {limit}");
            var runs = await graph.RunsAsync(parse.GetValue(Job) ?? [], parse.GetValue(Request), limit, cancellationToken);
            if (parse.GetValue(GlobalOptions.Json)) Console.WriteLine(MessageJson.IndentedArray(runs));
            else ReportText.Runs(Console.Out, runs);
            return ExitCodes.Success;
        }));
        return command;
    }
}
