using System.CommandLine;
using System.Text.Json.Nodes;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Wants;

namespace DataBuild.Cli.Commands;

public static class ReconcileCommand
{
    private static readonly Option<bool> Once = new("--once")
    {
        Description = "Run one pass and exit: 0 when its build succeeded or there was nothing to build, 1 when its build failed.",
    };

    private static readonly Option<string?> Interval = new("--interval")
    {
        Description = "Pause between passes, e.g. 10s (units s, m, h, d). Default: 10s. Runs until Ctrl-C. " +
            "A partition whose build failed is tried again after one interval, then after twice as long for each further failure, up to 1h.",
    };

    private static readonly Option<int?> Parallelism = new("--parallelism", "-j")
    {
        Description = "Job runs at once in a pass's build. Default: the number of processors.",
        CustomParser = WholeNumbers.OptionalInt32,
    };

    public static Command Create()
    {
        var command = new Command("reconcile",
            "Make wants come true: each pass records child wants for missing dependencies jobs reported, marks wants satisfied, " +
            "expired or past their SLA, and builds every partition the active wants still lack. Passes are idempotent; " +
            "several reconcilers may share one log.")
        {
            Once, Interval, Parallelism, BuildCommand.KillGraceSeconds,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(parse, async workspace =>
        {
            var once = parse.GetValue(Once);
            var intervalText = parse.GetValue(Interval);
            if (once && intervalText is not null) throw new UsageException("--once and --interval do not go together: --once runs a single pass");
            var interval = Durations.Parse(intervalText ?? "10s", "--interval");
            var parallelism = parse.GetValue(Parallelism);
            if (parallelism is < 1) throw new UsageException($"--parallelism must be at least 1, got {parallelism}");
            var json = parse.GetValue(GlobalOptions.Json);
            using var printer = new ProgressPrinter(json ? null : Console.Out, live: false);
            var options = workspace.DefaultOptions() with { Parallelism = parallelism ?? Environment.ProcessorCount, KillGrace = BuildCommand.KillGrace(parse) };
            // A partition that failed waits one interval, then twice as long after each further failed build.
            var backoff = new RetryBackoff(interval, interval > RetryBackoff.Default.Max ? interval : RetryBackoff.Default.Max);
            var reconciler = new Reconciler(workspace.Engine, options, printer, backoff);
            void Print(ReconcilePass pass) => Console.WriteLine(json ? ToJson(pass).ToJsonString() : Describe(pass));
            if (once)
            {
                var pass = await reconciler.RunPassAsync(cancellationToken);
                Print(pass);
                return pass.BuildFailed ? ExitCodes.BuildFailed : ExitCodes.Success;
            }
            await reconciler.RunAsync(interval, Print, cancellationToken);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static string Describe(ReconcilePass pass)
    {
        var build = pass.BuildError.Length > 0 ? $"build failed before running jobs: {pass.BuildError}"
            : pass.Build is { } b ? $"build {b.BuildRequestId} {Verdict(b)} ({b.JobRuns} job runs) for {Jobs(pass)}"
            : "nothing to build";
        var recorded = new List<string>();
        void Add(WantStatus status, string what)
        {
            if (pass.Count(status) > 0) recorded.Add($"{pass.Count(status)} {what}");
        }
        if (pass.ScheduledWants > 0) recorded.Add($"{pass.ScheduledWants} scheduled");
        Add(WantStatus.WantCreated, "child wants");
        Add(WantStatus.WantSatisfied, "satisfied");
        Add(WantStatus.WantSlaMissed, "SLA missed");
        Add(WantStatus.WantExpired, "expired");
        Add(WantStatus.WantCancelled, "cancelled");
        var line = $"pass {pass.Number}: {build}; wants: {(recorded.Count > 0 ? string.Join(", ", recorded) : "no change")}, {pass.ActiveWants} active";
        foreach (var (partition, why) in pass.Unbuildable) line += $"\n  cannot build {partition}: {why}";
        foreach (var (partition, retry) in pass.Deferred)
            line += $"\n  waiting to retry {partition}: {retry.FailedBuilds} failed build{(retry.FailedBuilds == 1 ? "" : "s")} in a row, next try after {retry.RetryAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";
        return line;
    }

    private static string Verdict(BuildResult build) =>
        build.Succeeded ? "succeeded" : ProtoNames.Of(build.Status).Replace("BUILD_REQUEST_", "").ToLowerInvariant();

    private static string Jobs(ReconcilePass pass) =>
        string.Join("; ", pass.BuildsByJob.Select(job => $"{job.Key}: {WantRules.Describe(job.Value)}"));

    private static JsonObject ToJson(ReconcilePass pass)
    {
        var byJob = new JsonObject();
        foreach (var (job, refs) in pass.BuildsByJob) byJob[job] = Output.Array(refs);
        var unbuildable = new JsonObject();
        foreach (var (partition, why) in pass.Unbuildable) unbuildable[partition] = why;
        var deferred = new JsonObject();
        foreach (var (partition, retry) in pass.Deferred)
            deferred[partition] = new JsonObject { ["failedBuilds"] = retry.FailedBuilds, ["retryAt"] = retry.RetryAt.UtcDateTime.ToString("O") };
        var recorded = new JsonObject();
        foreach (var (status, count) in pass.Recorded) recorded[ProtoNames.Of(status)] = count;
        return new JsonObject
        {
            ["pass"] = pass.Number,
            ["activeWants"] = pass.ActiveWants,
            ["buildsByJob"] = byJob,
            ["unbuildable"] = unbuildable,
            ["deferred"] = deferred,
            ["buildRequestId"] = pass.Build?.BuildRequestId ?? "",
            ["buildStatus"] = pass.Build is { } b ? ProtoNames.Of(b.Status) : "",
            ["jobRuns"] = pass.Build?.JobRuns ?? 0,
            ["buildError"] = pass.BuildError,
            ["recorded"] = recorded,
            ["scheduledWants"] = pass.ScheduledWants,
        };
    }
}
