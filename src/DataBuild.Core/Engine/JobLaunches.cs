using System.Collections.Concurrent;
using DataBuild.Execution;
using DataBuild.Execution.Slurm;
using DataBuild.Graphs;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Engine;

/// <summary>
/// Starts a build's job runs on their executors (docs/executors.md): each job's own, or the one the build's options
/// name for every job. A local run is written RUNNING with its start; a run handed to another system is RUNNING once
/// that system has it: its submission (the Slurm job id) comes back from the executor's thread and is written
/// on the session's loop (<see cref="RecordSubmitted"/>) before anything else of that run.
/// </summary>
internal sealed class JobLaunches(BuildContext build)
{
    private readonly JobRunner _local = new(build.Engine.Graph, build.Options.KillGrace);
    private readonly ConcurrentQueue<(AnalyzedTask Task, string RunId, ExecutorSubmission Submission)> _submitted = new();
    private TaskCompletionSource _news = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private SlurmExecutor? _slurm;
    private int _remoteInFlight;

    public ExecutorKind KindOf(JobDefinition job) => build.Options.Executor ?? job.Executor.Kind;

    /// <summary>The Slurm executor of this build, made on first use.</summary>
    public SlurmExecutor Slurm => _slurm ??= new SlurmExecutor(build.Engine.Graph, build.Options.LogDirectory, build.Options.KillGrace, build.Options.ExecutorPollInterval);

    /// <summary>Whether runs of <paramref name="task"/> are written RUNNING only once their executor has them.</summary>
    public bool DefersRunning(AnalyzedTask task) => KindOf(task.Job) != ExecutorKind.Local;

    /// <summary>Runs handed to another system are in flight: the loop also wakes for their submissions.</summary>
    public bool HasRemote => Volatile.Read(ref _remoteInFlight) > 0 || !_submitted.IsEmpty;

    public Task WhenSubmitted => _news.Task;

    /// <summary>Starts the run on its executor; with a log that keeps run logs, its log is copied there as it is written (<see cref="RunLogCopy"/>).</summary>
    public Task<JobRunOutcome> Start(RunStart start, CancellationToken cancellationToken) =>
        RunLogCopy.Around(build.Log, start.RunId, start.LogPath, Launch(start, cancellationToken));

    private Task<JobRunOutcome> Launch(RunStart start, CancellationToken cancellationToken)
    {
        var task = start.Task;
        if (KindOf(task.Job) == ExecutorKind.Local)
            return _local.ExecAsync(task.Job, task.Config, task.Outputs, start.RunId, start.LogPath, cancellationToken);
        Interlocked.Increment(ref _remoteInFlight);
        return RunRemoteAsync(new JobLaunch(task.Job, task.Config, task.Outputs, start.RunId, start.LogPath, submission =>
        {
            _submitted.Enqueue((task, start.RunId, submission));
            _news.TrySetResult();
        }), cancellationToken);
    }

    /// <summary>Writes RUNNING, with where each went, for the runs submitted since the last call.</summary>
    public void RecordSubmitted()
    {
        // Renewed before the queue is read: a submission from now on completes the new one.
        if (_news.Task.IsCompleted) _news = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_submitted.IsEmpty) return;
        var events = new List<BuildEvent>();
        while (_submitted.TryDequeue(out var submitted)) events.Add(build.Recorder.Running(submitted.Task, submitted.RunId, submitted.Submission));
        build.Writes.Append(events);
    }

    private async Task<JobRunOutcome> RunRemoteAsync(JobLaunch launch, CancellationToken cancellationToken)
    {
        try
        {
            return await Slurm.ExecAsync(launch, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _remoteInFlight);
        }
    }
}
