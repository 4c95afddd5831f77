using DataBuild.Graphs;
using DataBuild.Proto;

namespace DataBuild.Execution;

/// <summary>How a job run ended, as the build records it.</summary>
public enum JobRunVerdict
{
    /// <summary>Exit 0: every output is built.</summary>
    Succeeded,

    /// <summary>The job printed missing dependencies (<see cref="JobRunOutcome.MissingDeps"/>) and exited non-zero.</summary>
    MissingDeps,

    /// <summary>A non-zero exit, a timeout or a launch failure: retried per the job's policy.</summary>
    Failed,

    /// <summary>The job's output breaks the contract: never retried, the job needs fixing.</summary>
    BrokeContract,

    /// <summary>Killed because the build was cancelled before the process ended.</summary>
    Cancelled,
}

/// <summary>One finished job run: the verdict, why (for the failures), and the process behind it.</summary>
public sealed record JobRunOutcome(
    string JobRunId,
    string LogPath,
    JobRunVerdict Verdict,
    string Why,
    IReadOnlyList<MissingDeps> MissingDeps,
    ProcessResult Process,
    DateTimeOffset Started);

/// <summary>What an exists call returned: the refs that exist, or why there is no answer.</summary>
public sealed record ExistsOutcome(IReadOnlySet<string>? Present, string Problem);

/// <summary>What a configure call returned: the configs, or why there are none.</summary>
public sealed record ConfigureOutcome(IReadOnlyList<JobConfig>? Configs, string Problem);

/// <summary>
/// Turns a job and a verb into a process (docs/job-contract.md) and classifies how it ended. Both verbs run
/// through here, in the graph's working directory with the job's resolved command, so `configure` and `exec`
/// see the same world.
/// </summary>
/// <param name="killGrace">How long a job's process group has between SIGTERM and SIGKILL when a run is stopped.</param>
public sealed class JobRunner(GraphManifest graph, TimeSpan? killGrace = null) : IJobExecutor
{
    // The tail of stdout and stderr kept for messages; the log file keeps everything.
    private const int CaptureLimit = 16 * 1024;

    /// <summary>The local executor: the run as a child process of this one.</summary>
    public Task<JobRunOutcome> ExecAsync(JobLaunch launch, CancellationToken cancellationToken) =>
        ExecAsync(launch.Job, launch.Config, launch.Outputs, launch.RunId, launch.LogPath, cancellationToken);

    /// <summary>Runs <c>&lt;command…&gt; exec &lt;config.args…&gt;</c> for the config's outputs, its output going to <paramref name="logPath"/>.</summary>
    public async Task<JobRunOutcome> ExecAsync(JobDefinition job, JobConfig config, IReadOnlyList<string> outputs, string runId, string logPath,
        CancellationToken cancellationToken)
    {
        var env = ExecEnvironment(graph, job, config, outputs, runId);
        var started = DateTimeOffset.UtcNow;
        var result = await ProcessRunner.RunAsync(new ProcessSpec(
            graph.ResolveCommand(job),
            ["exec", .. config.Args],
            graph.WorkingDirectory,
            env,
            JobContract.ConfigJson(config),
            Timeout(job),
            logPath,
            CaptureLimit,
            MarkerPrefix: JobContract.MissingDepsPrefix,
            MarkerLimit: JobContract.MissingDepsLimit,
            KillGrace: killGrace), cancellationToken);
        var (verdict, why, missing) = Judge(graph, job, outputs, result);
        return new JobRunOutcome(runId, logPath, verdict, why, missing, result, started);
    }

    /// <summary>
    /// The verdict on an exec run, whatever its executor ran it: its exit (<see cref="Classify"/>), then, for a job that
    /// declares locations, whether every output is at its location.
    /// </summary>
    internal static (JobRunVerdict, string, IReadOnlyList<MissingDeps>) Judge(GraphManifest graph, JobDefinition job, IReadOnlyList<string> outputs, ProcessResult result)
    {
        var (verdict, why, missing) = Classify(job, result);
        if (verdict == JobRunVerdict.Succeeded && Unwritten(graph, job, outputs) is { Count: > 0 } unwritten)
            (verdict, why) = (JobRunVerdict.Failed, $"exited 0 but did not write {ListText.FirstAndMore(unwritten, 3)}");
        return (verdict, why, missing);
    }

    // A job that declares locations has built an output only when something is at its location.
    private static List<string> Unwritten(GraphManifest graph, JobDefinition job, IReadOnlyList<string> outputs)
    {
        var unwritten = new List<string>();
        if (job.Locations.Count == 0) return unwritten;
        foreach (var output in outputs)
            if (OutputLocations.Of(graph, job, output) is { } location && !Path.Exists(location)) unwritten.Add($"{location} ({output})");
        return unwritten;
    }

    private static int ConfigureTimeoutSeconds(JobDefinition job) => job.ConfigureTimeoutSeconds ?? JobDefinition.DefaultConfigureTimeoutSeconds;

    // configure and exists: a verb on refs, in the graph's environment, within the configure timeout and the
    // contract's limit on what it may print.
    private async Task<ProcessResult> RunOnRefsAsync(JobDefinition job, string verb, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(
            new ProcessSpec(graph.ResolveCommand(job), [verb, .. refs], graph.WorkingDirectory, graph.JobEnvironment(),
                Timeout: TimeSpan.FromSeconds(ConfigureTimeoutSeconds(job)), StandardOutputLimit: JobContract.ConfigureOutputLimit), cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return result;
    }

    /// <summary>
    /// Runs <c>&lt;command…&gt; configure &lt;refs…&gt;</c> within the job's configure timeout
    /// (<see cref="JobDefinition.DefaultConfigureTimeoutSeconds"/> by default) and the contract's limit on what
    /// configure may print (<see cref="JobContract.ConfigureOutputLimit"/>), and reads its configs; a problem is
    /// described, not thrown.
    /// </summary>
    public async Task<ConfigureOutcome> ConfigureAsync(JobDefinition job, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        var seconds = ConfigureTimeoutSeconds(job);
        var result = await RunOnRefsAsync(job, "configure", refs, cancellationToken);
        switch (result.Outcome)
        {
            case ProcessOutcome.FailedToStart:
                return new ConfigureOutcome(null, result.StandardError);
            case ProcessOutcome.TimedOut:
                return new ConfigureOutcome(null,
                    $"timed out after {seconds}s and was stopped (the job's configureTimeoutSeconds{(job.ConfigureTimeoutSeconds is null ? ", by default " + seconds : "")})");
            case ProcessOutcome.OutputLimitExceeded:
                return new ConfigureOutcome(null,
                    $"printed more than the limit of {JobContract.ConfigureOutputLimit} characters ({JobContract.ConfigureOutputLimit / (1024 * 1024)} MiB) on stdout and was stopped");
        }
        if (result.ExitCode != 0)
            return new ConfigureOutcome(null, $"exit code {result.ExitCode}; stderr: {JobContract.Excerpt(result.StandardError)}");
        try
        {
            return new ConfigureOutcome(JobContract.ParseConfigureOutput(job.Label, refs, result.StandardOutput), "");
        }
        catch (JobContractException e)
        {
            return new ConfigureOutcome(null, e.Message);
        }
    }

    /// <summary>The environment of an exec run, whatever its executor: the graph's, the config's, and the run's own variables.</summary>
    internal static Dictionary<string, string> ExecEnvironment(GraphManifest graph, JobDefinition job, JobConfig config, IReadOnlyList<string> outputs, string runId)
    {
        var env = graph.JobEnvironment(config.Env);
        env["DATABUILD_JOB_RUN_ID"] = runId;
        env["DATABUILD_JOB_LABEL"] = job.Label;
        env["DATABUILD_OUTPUTS"] = string.Join(';', outputs);
        return env;
    }

    /// <summary>
    /// Runs <c>&lt;command…&gt; exists &lt;refs…&gt;</c> (docs/job-contract.md#exists) within the configure timeout, and returns
    /// the refs it printed, each one of <paramref name="refs"/>; a problem is described, not thrown.
    /// </summary>
    public async Task<ExistsOutcome> ExistsAsync(JobDefinition job, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        var result = await RunOnRefsAsync(job, "exists", refs, cancellationToken);
        if (result.Outcome != ProcessOutcome.Exited) return new ExistsOutcome(null, Describe(result));
        if (result.ExitCode != 0) return new ExistsOutcome(null, $"exit code {result.ExitCode}; stderr: {JobContract.Excerpt(result.StandardError)}");
        var asked = refs.ToHashSet(StringComparer.Ordinal);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!asked.Contains(line)) return new ExistsOutcome(null, $"printed '{JobContract.Excerpt(line)}', which is not one of the refs it was asked about");
            present.Add(line);
        }
        return new ExistsOutcome(present, "");
    }

    private static TimeSpan? Timeout(JobDefinition job) => job.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

    // A process that ended on its own is judged by how it ended, even when the build is being cancelled meanwhile.
    internal static (JobRunVerdict, string, IReadOnlyList<MissingDeps>) Classify(JobDefinition job, ProcessResult result)
    {
        if (result.Succeeded) return (JobRunVerdict.Succeeded, "", []);
        if (result.Outcome == ProcessOutcome.Cancelled) return (JobRunVerdict.Cancelled, "the build was cancelled", []);
        if (result.Outcome != ProcessOutcome.Exited) return (JobRunVerdict.Failed, Describe(result), []);
        try
        {
            return JobContract.ParseMissingDeps(job.Label, result.MarkedLines) is { } missing
                ? (JobRunVerdict.MissingDeps, "", missing)
                : (JobRunVerdict.Failed, Describe(result), []);
        }
        catch (JobContractException e)
        {
            return (JobRunVerdict.BrokeContract, e.Message, []);
        }
    }

    private static string Describe(ProcessResult result) => result.Outcome switch
    {
        ProcessOutcome.TimedOut => $"timed out after {result.Duration.TotalSeconds:0.#}s and was killed",
        ProcessOutcome.FailedToStart or ProcessOutcome.ExecutorFailed => result.StandardError,
        ProcessOutcome.Cancelled => "cancelled",
        _ => $"exit code {result.ExitCode}" + (result.StandardError.Trim().Length > 0 ? $": {LastLine(result.StandardError)}" : ""),
    };

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1].Trim();
}
