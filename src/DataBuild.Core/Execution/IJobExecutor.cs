using DataBuild.Graphs;
using DataBuild.Proto;

namespace DataBuild.Execution;

/// <summary>
/// One exec run to start: the job, its config and outputs, the run's id and log. <see cref="Submitted"/> is called
/// (from any thread) once an executor that hands runs to another system knows where the run went, before the run
/// ends, so the build records it and a later build can find the run if this one dies.
/// </summary>
public sealed record JobLaunch(JobDefinition Job, JobConfig Config, IReadOnlyList<string> Outputs, string RunId, string LogPath,
    Action<ExecutorSubmission>? Submitted = null);

/// <summary>
/// Starts exec runs and reports how each ended (docs/executors.md). The engine's rules (retries, timeouts,
/// cancellation, missing dependencies) are the same for every executor: an executor only runs the process
/// somewhere, enforces the job's timeout, stops it when the token is cancelled, and classifies the end with
/// <see cref="JobRunner.Classify"/>.
/// </summary>
public interface IJobExecutor
{
    Task<JobRunOutcome> ExecAsync(JobLaunch launch, CancellationToken cancellationToken);
}
