using DataBuild.Events;
using DataBuild.Execution;
using DataBuild.Execution.Slurm;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Views;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Engine;

/// <summary>
/// Recovery of runs an executor still has (docs/executors.md#recovery): a build whose owner died leaves its Slurm
/// jobs running. Before <see cref="LostWork"/> closes such a request, each of its open runs on Slurm is looked up,
/// by the job id its RUNNING event recorded or by its name (the run id), and by its exit file. A run Slurm still
/// runs is followed to its end and a finished one is judged as it ended: either is recorded in the dead request
/// as its own build would have, so its outputs are AVAILABLE and nothing runs twice. A run Slurm does not know and
/// that left no exit code is lost, and LostWork closes it as CANCELLED.
/// </summary>
internal static class AdoptedRuns
{
    /// <summary>Adopts what there is to adopt; returns why the build cannot go on when Slurm could not be asked (nothing is then closed as lost).</summary>
    public static async Task<string?> AdoptAsync(BuildContext build, JobLaunches launches, CancellationToken cancellationToken)
    {
        build.RefreshViews();
        var now = build.Log.Clock.GetUtcNow();
        var dead = build.Views.Requests.All
            .Where(r => !r.IsFinished && r.BuildRequestId != build.Id && !Owners.IsAlive(r, now, build.Options.Lease))
            .Select(r => r.BuildRequestId)
            .ToHashSet(StringComparer.Ordinal);
        if (dead.Count == 0) return null;
        var jobs = build.Engine.Graph.Jobs.ToDictionary(j => j.Label, StringComparer.Ordinal);
        var following = new Dictionary<Task<(JobRunOutcome, ExecutorSubmission)?>, (JobRunInfo Run, AnalyzedTask Task, bool Running)>();
        foreach (var run in build.Views.Runs.All.Where(r => dead.Contains(r.BuildRequestId) && !StateMachines.IsTerminal(r.Status)).ToArray())
        {
            if (!jobs.TryGetValue(run.JobLabel, out var job) || run.Config is null) continue;
            var submission = SubmissionOf(build.Log, run.JobRunId);
            var onSlurm = submission?.Kind == JobExecutor.NameOf(ExecutorKind.Slurm) || (submission is null && launches.KindOf(job) == ExecutorKind.Slurm);
            if (!onSlurm || !JobRunLogs.IsWellFormedId(run.JobRunId)) continue;
            var task = new AnalyzedTask(0, job, run.Config);
            var launch = new JobLaunch(job, run.Config, task.Outputs, run.JobRunId, JobRunLogs.PathOf(build.Options.LogDirectory, run.JobRunId));
            var adopted = RunLogCopy.Around(build.Log, run.JobRunId, launch.LogPath, launches.Slurm.AdoptAsync(launch, submission?.ExternalId, cancellationToken), resume: true);
            following[adopted] = (run, task, run.Status == JobStatus.JobRunning);
            build.Progress.Report(BuildProgressKind.JobAdopted, task, p =>
            {
                p.JobRunId = run.JobRunId;
                p.BuildRequestId = run.BuildRequestId;
                p.LogPath = launch.LogPath;
            });
        }
        string? problem = null;
        while (following.Count > 0)
        {
            var ended = await Task.WhenAny(following.Keys);
            var (run, task, running) = following[ended];
            following.Remove(ended);
            try
            {
                if (await ended is var (outcome, submission)) Record(build, run, task, running, outcome, submission);
            }
            catch (SlurmException e)
            {
                // Closing such a run as lost could run it twice while Slurm still runs it: the next build asks again.
                problem = $"could not ask Slurm about run {run.JobRunId} of build request {run.BuildRequestId}, whose owner is gone: {e.Message}";
            }
        }
        return problem;
    }

    private static void Record(BuildContext build, JobRunInfo run, AnalyzedTask task, bool running, JobRunOutcome outcome, ExecutorSubmission submission)
    {
        var recorder = new BuildRecorder(run.BuildRequestId, build.Writes, build.Engine.JobIdentities);
        var events = new List<BuildEvent>();
        if (!running) events.Add(recorder.Running(task, run.JobRunId, submission));
        var why = outcome.Verdict == JobRunVerdict.MissingDeps
            ? $"reported missing dependencies: {string.Join(", ", outcome.MissingDeps.SelectMany(m => m.Missing).Select(r => r.Str).Distinct(StringComparer.Ordinal))}"
            : outcome.Why;
        events.AddRange(recorder.Ended(task, outcome, run.Attempt, why.Length > 0 ? $"{why} (adopted after its build's owner was gone)" : ""));
        try
        {
            build.Writes.Append(events);
        }
        catch (InvalidEventException)
        {
            // Another build recorded or closed it first.
        }
        build.Progress.Run(outcome.Verdict == JobRunVerdict.Succeeded ? BuildProgressKind.JobSucceeded : BuildProgressKind.JobFailed, task, outcome, run.Attempt,
            p => p.Reason = why);
    }

    // The run's RUNNING event says where it went; a run killed before its submission was written has none.
    private static ExecutorSubmission? SubmissionOf(BuildEventLog log, string jobRunId) =>
        log.ReadAll(0, new EventFilter { JobRunIds = { jobRunId } })
            .Select(e => e.Event.JobEvent)
            .LastOrDefault(j => j is { Status: JobStatus.JobRunning, Submission: not null })?.Submission;
}
