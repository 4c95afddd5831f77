using System.CommandLine;
using System.Text.Json.Nodes;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Views;

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
        command.SetAction((parse, _) => CommandRunner.RunAsync(parse, workspace =>
        {
            var limit = parse.GetValue(Limit);
            if (limit < 1) throw new UsageException($"--limit must be at least 1, got {limit}");
            var jobs = parse.GetValue(Job) ?? [];
            var request = parse.GetValue(Request);
            var runs = workspace.Views().Runs.All
                .Where(r => jobs.Length == 0 || jobs.Contains(r.JobLabel))
                .Where(r => request is null || r.BuildRequestId == request)
                .TakeLast(limit)
                .ToArray();
            if (parse.GetValue(GlobalOptions.Json))
            {
                Console.WriteLine(new JsonArray(runs.Select(r => (JsonNode?)ToJson(r, workspace)).ToArray()).ToJsonString(Output.JsonOptions));
                return Task.FromResult(ExitCodes.Success);
            }
            if (runs.Length == 0)
            {
                Console.WriteLine("No job runs.");
                return Task.FromResult(ExitCodes.Success);
            }
            Output.Table(Console.Out, ["JOB RUN", "JOB", "STATUS", "ATTEMPT", "EXIT", "SECONDS", "OUTPUTS"], runs.Select(r => (IReadOnlyList<string>)
            [
                r.JobRunId,
                r.JobLabel,
                ProtoNames.Of(r.Status).Replace("JOB_", ""),
                r.Attempt.ToString(),
                StateMachines.IsTerminal(r.Status) && r.StartedAt > 0 ? r.ExitCode.ToString() : "",
                r.DurationMs > 0 ? (r.DurationMs / 1000.0).ToString("0.0") : "",
                r.Targets.Count == 1 ? r.Targets[0] : $"{r.Targets[0]} (+{r.Targets.Count - 1})",
            ]));
            return Task.FromResult(ExitCodes.Success);
        }));
        return command;
    }

    private static JsonObject ToJson(JobRunInfo r, GraphWorkspace workspace) => new()
    {
        ["jobRunId"] = r.JobRunId,
        ["job"] = r.JobLabel,
        ["buildRequestId"] = r.BuildRequestId,
        ["status"] = ProtoNames.Of(r.Status),
        ["attempt"] = r.Attempt,
        ["exitCode"] = r.ExitCode,
        ["durationMs"] = r.DurationMs,
        ["outputs"] = Output.Array(r.Targets),
        ["logPath"] = JobRunLogs.IsWellFormedId(r.JobRunId) ? workspace.JobRunLogPath(r.JobRunId) : "",
        ["jobVersion"] = r.JobVersion,
        ["message"] = r.Message,
        ["scheduledAt"] = Output.Time(r.ScheduledAt),
        ["finishedAt"] = Output.Time(r.FinishedAt),
    };
}
