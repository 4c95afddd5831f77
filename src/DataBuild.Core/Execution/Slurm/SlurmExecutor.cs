using System.Diagnostics;
using DataBuild.Graphs;
using DataBuild.Proto;

namespace DataBuild.Execution.Slurm;

/// <summary>
/// The Slurm executor (docs/executors.md): each exec run is one batch job, <c>sbatch --parsable --no-requeue
/// --job-name=&lt;job run id&gt;</c> of a small wrapper (<see cref="SlurmRunFiles.Wrapper"/>) in the graph's working
/// directory with the run's environment; every job in flight is followed by one <see cref="SlurmQueue"/>. The
/// cluster's nodes must share the graph's folder and its log folder with the build (as a one-node cluster does).
/// </summary>
public sealed class SlurmExecutor(GraphManifest graph, string logDirectory, TimeSpan? killGrace = null, TimeSpan? pollInterval = null) : IJobExecutor
{
    /// <summary>How often the jobs in flight are looked at by default: one squeue call each time.</summary>
    public static readonly TimeSpan DefaultPollInterval = TimeSpan.FromMilliseconds(250);

    private const int CaptureLimit = 16 * 1024;

    private readonly SlurmQueue _queue = new(pollInterval ?? DefaultPollInterval, killGrace ?? ProcessRunner.DefaultKillGrace);
    private string? _wrapper;

    public async Task<JobRunOutcome> ExecAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        if (cancellationToken.IsCancellationRequested) return Outcome(launch, ProcessOutcome.Cancelled, -1, "", started, clock);
        var command = graph.ResolveCommand(launch.Job);
        var program = ExecutableSearch.Resolve(command[0]);
        if (program is null || !File.Exists(program) || !ExecutableSearch.IsExecutable(program))
            return Failed(launch, ProcessOutcome.FailedToStart,
                $"could not start '{command[0]}': {(program is null ? "no such program on PATH" : !File.Exists(program) ? "no such file" : "the file is not executable")}", started, clock);

        var files = new SlurmRunFiles(logDirectory, launch.RunId);
        string jobId;
        try
        {
            _wrapper ??= SlurmRunFiles.WriteWrapper(logDirectory);
            files.WriteConfig(JobContract.ConfigJson(launch.Config));
            File.AppendAllText(launch.LogPath, "");
            // Not cancelled halfway: a job Slurm accepted must be known here, to be cancelled like the others.
            jobId = await SlurmCommands.SubmitAsync(SubmitArguments(launch, files, [Path.GetFullPath(program), .. command.Skip(1), "exec", .. launch.Config.Args]),
                graph.WorkingDirectory, JobRunner.ExecEnvironment(graph, launch.Job, launch.Config, launch.Outputs, launch.RunId));
        }
        catch (Exception e) when (e is SlurmException or IOException or UnauthorizedAccessException)
        {
            return Failed(launch, ProcessOutcome.FailedToStart, $"could not submit to Slurm: {e.Message}", started, clock);
        }
        SlurmRunFiles.Note(launch.LogPath, $"submitted to Slurm as job {jobId}");
        launch.Submitted?.Invoke(Submission(launch.Job, jobId));
        var end = await _queue.FollowAsync(jobId, files, launch.LogPath, Timeout(launch.Job), cancellationToken);
        return Ended(launch, jobId, files, end, started, clock);
    }

    /// <summary>Whether the run's wrapper recorded its exit code: it ended, whatever Slurm can say.</summary>
    public bool HasExited(string runId) => new SlurmRunFiles(logDirectory, runId).ExitCode() is not null;

    /// <summary>
    /// The id of each job Slurm knows by its name (DataBuild's run id), from one squeue; a <see cref="SlurmException"/>
    /// when Slurm cannot be asked (its controller does not answer, its clients are not on PATH).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> JobIdsByNameAsync()
    {
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var job in (await SlurmCommands.ListAsync()).Values) byName[job.Name] = job.JobId;
        return byName;
    }

    /// <summary>
    /// After the build that submitted <paramref name="launch"/> died: follows the run to its end, found by the
    /// Slurm job id it recorded or else by its name (the run id, looked up by the caller), or by its exit file when
    /// Slurm has forgotten it. Null when Slurm knows no such job and it left no exit code: the run is lost.
    /// </summary>
    public async Task<(JobRunOutcome Outcome, ExecutorSubmission Submission)?> AdoptAsync(JobLaunch launch, string? jobId, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var files = new SlurmRunFiles(logDirectory, launch.RunId);
        if (files.ExitCode() is { } code)
            return (Exited(launch, code, started, clock), Submission(launch.Job, jobId ?? ""));
        if (string.IsNullOrEmpty(jobId)) return null;
        SlurmRunFiles.Note(launch.LogPath, $"adopted by a later build: following Slurm job {jobId}");
        var end = await _queue.FollowAsync(jobId, files, launch.LogPath, Timeout(launch.Job), cancellationToken);
        if (end is { ExitCode: null, State: null, Stop: SlurmStop.None }) return null;
        return (Ended(launch, jobId, files, end, started, clock), Submission(launch.Job, jobId));
    }

    private static ExecutorSubmission Submission(JobDefinition job, string jobId) =>
        new() { Kind = JobExecutor.NameOf(ExecutorKind.Slurm), ExternalId = jobId, Partition = job.Executor.Partition ?? "" };

    private List<string> SubmitArguments(JobLaunch launch, SlurmRunFiles files, IReadOnlyList<string> command)
    {
        var executor = launch.Job.Executor;
        var arguments = new List<string>
        {
            "--parsable", "--no-requeue", $"--job-name={launch.RunId}", $"--chdir={graph.WorkingDirectory}", "--export=ALL",
            $"--output={files.OutputFile}", "--open-mode=append",
        };
        if (executor.Partition is { } partition) arguments.Add($"--partition={partition}");
        if (executor.Cpus is { } cpus) arguments.Add($"--cpus-per-task={cpus}");
        if (executor.Memory is { } memory) arguments.Add($"--mem={memory}");
        // Slurm's own limit is a backstop a minute past DataBuild's timeout, which scancel enforces on time.
        if (executor.TimeLimit is { } limit) arguments.Add($"--time={limit}");
        else if (launch.Job.TimeoutSeconds is { } seconds) arguments.Add($"--time={seconds / 60 + 2}");
        arguments.Add(_wrapper!);
        arguments.Add(files.Folder);
        arguments.Add(launch.LogPath);
        arguments.AddRange(command);
        return arguments;
    }

    private JobRunOutcome Ended(JobLaunch launch, string jobId, SlurmRunFiles files, SlurmEnd end, DateTimeOffset started, Stopwatch clock)
    {
        // A job that exited 0 built its outputs, whenever a stop came; any other end after a stop is the stop's.
        if (end.ExitCode is { } code && (code == 0 || end.Stop == SlurmStop.None)) return Exited(launch, code, started, clock);
        if (end.Stop != SlurmStop.None)
            return Outcome(launch, end.Stop == SlurmStop.TimedOut ? ProcessOutcome.TimedOut : ProcessOutcome.Cancelled, end.ExitCode ?? -1, "", started, clock);
        var why = end.State is { } state
            ? $"Slurm job {jobId} ended {state.State}{(state.Reason is "" or "None" ? "" : $" ({state.Reason})")}: {Meaning(state.State)}"
            : $"Slurm no longer knows job {jobId}, and it recorded no exit code";
        if (files.WrapperOutput() is { Length: > 0 } output) why += $"; its batch output: {output}";
        SlurmRunFiles.Note(launch.LogPath, why);
        return Failed(launch, ProcessOutcome.ExecutorFailed, why, started, clock);
    }

    private static string Meaning(string state) => state switch
    {
        "CANCELLED" => "cancelled outside this build (scancel, or an administrator)",
        "TIMEOUT" => "it ran past its Slurm time limit (timeLimit)",
        "OUT_OF_MEMORY" => "it used more memory than it asked for (memory)",
        "NODE_FAIL" => "the node it ran on failed",
        "BOOT_FAIL" => "its node did not boot",
        "DEADLINE" => "it missed its deadline",
        "PREEMPTED" => "it was preempted",
        "FAILED" => "the batch script failed before it recorded the job's exit code",
        _ => "without an exit code",
    };

    private JobRunOutcome Exited(JobLaunch launch, int code, DateTimeOffset started, Stopwatch clock) =>
        Outcome(launch, ProcessOutcome.Exited, code, "", started, clock);

    private JobRunOutcome Failed(JobLaunch launch, ProcessOutcome outcome, string why, DateTimeOffset started, Stopwatch clock)
    {
        if (outcome == ProcessOutcome.FailedToStart) SlurmRunFiles.Note(launch.LogPath, why);
        return Outcome(launch, outcome, -1, why, started, clock);
    }

    // The run's result as a local run's capture would have it, read back from its log; judged as a local one is.
    private JobRunOutcome Outcome(JobLaunch launch, ProcessOutcome outcome, int exitCode, string why, DateTimeOffset started, Stopwatch clock)
    {
        var (stdout, stderr, marked) = SlurmRunFiles.ReadLog(launch.LogPath, CaptureLimit, JobContract.MissingDepsPrefix, JobContract.MissingDepsLimit);
        var result = new ProcessResult(outcome, exitCode, stdout, why.Length > 0 ? why : stderr, clock.Elapsed, marked);
        var (verdict, reason, missing) = JobRunner.Judge(graph, launch.Job, launch.Outputs, result);
        return new JobRunOutcome(launch.RunId, launch.LogPath, verdict, reason, missing, result, started);
    }

    private static TimeSpan? Timeout(JobDefinition job) => job.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
