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
    /// <summary>
    /// Adopts what there is to adopt; returns why the build cannot go on when Slurm could not be asked about a run
    /// that has not ended (such runs are left open, not closed as lost: Slurm may still run them).
    /// </summary>
    public static async Task<string?> AdoptAsync(BuildContext build, JobLaunches launches, CancellationToken cancellationToken)
    {
        build.RefreshViews();
        var now = build.Log.Clock.GetUtcNow();
        var dead = build.Views.Requests.All
            .Where(r => !r.IsFinished && r.BuildRequestId != build.Id && !Owners.IsAlive(r, now, build.Options.Lease))
            .Select(r => r.BuildRequestId)
            .ToHashSet(StringComparer.Ordinal);
        if (dead.Count == 0) return null;
        var candidates = OnSlurm(build, launches, dead);
        if (candidates.Count == 0) return null;
        // One squeue for all of them, when one has not ended: the job ids of runs killed before their submission was written.
        IReadOnlyDictionary<string, string> byName = new Dictionary<string, string>();
        string? unreachable = null;
        if (candidates.Any(c => !launches.Slurm.HasExited(c.Run.JobRunId)))
        {
            try
            {
                byName = await launches.Slurm.JobIdsByNameAsync();
            }
            catch (SlurmException e)
            {
                unreachable = e.Message;
            }
        }
        var following = new Dictionary<Task<(JobRunOutcome, ExecutorSubmission)?>, (JobRunInfo Run, AnalyzedTask Task, bool Running)>();
        var unasked = new List<JobRunInfo>();
        foreach (var (run, task, launch, recordedJobId) in candidates)
        {
            // Closing such a run as lost could run it twice while Slurm still runs it: the next build asks again.
            if (unreachable is not null && !launches.Slurm.HasExited(run.JobRunId))
            {
                unasked.Add(run);
                continue;
            }
            var jobId = recordedJobId ?? byName.GetValueOrDefault(run.JobRunId);
            var adopted = RunLogCopy.Around(build.Log, run.JobRunId, launch.LogPath, launches.Slurm.AdoptAsync(launch, jobId, cancellationToken), resume: true);
            following[adopted] = (run, task, run.Status == JobStatus.JobRunning);
            build.Progress.Report(BuildProgressKind.JobAdopted, task, p =>
            {
                p.JobRunId = run.JobRunId;
                p.BuildRequestId = run.BuildRequestId;
                p.LogPath = launch.LogPath;
            });
        }
        while (following.Count > 0)
        {
            var ended = await Task.WhenAny(following.Keys);
            var (run, task, running) = following[ended];
            following.Remove(ended);
            if (await ended is var (outcome, submission)) Record(build, run, task, running, outcome, submission);
        }
        if (unasked.Count == 0) return null;
        var runs = ListText.FirstAndMore(unasked.Select(r => $"{r.JobRunId} ({r.JobLabel} {ListText.FirstAndMore(r.Targets, 1, more: " +{0}")})").ToArray(), 3);
        var requests = string.Join(", ", unasked.Select(r => r.BuildRequestId).Distinct(StringComparer.Ordinal));
        return $"could not ask Slurm about {(unasked.Count == 1 ? "run" : $"{unasked.Count} runs")} {runs} of build request {requests}, whose owner is gone: " +
            $"{unreachable}; left open rather than run again while Slurm may still run {(unasked.Count == 1 ? "it" : "them")}: build again once Slurm answers";
    }

    // The open runs of the dead requests that went to Slurm (by their submission, or by their job's executor when
    // killed before it was written), with what following each one needs.
    private static List<(JobRunInfo Run, AnalyzedTask Task, JobLaunch Launch, string? JobId)> OnSlurm(BuildContext build, JobLaunches launches, HashSet<string> dead)
    {
        var jobs = build.Engine.Graph.Jobs.ToDictionary(j => j.Label, StringComparer.Ordinal);
        var candidates = new List<(JobRunInfo, AnalyzedTask, JobLaunch, string?)>();
        foreach (var run in build.Views.Runs.Live.Where(r => dead.Contains(r.BuildRequestId)))
        {
            if (!jobs.TryGetValue(run.JobLabel, out var job) || run.Config is null) continue;
            var submission = run.Submission;
            var onSlurm = submission?.Kind == JobExecutor.NameOf(ExecutorKind.Slurm) || (submission is null && launches.KindOf(job) == ExecutorKind.Slurm);
            if (!onSlurm || !JobRunLogs.IsWellFormedId(run.JobRunId)) continue;
            var task = new AnalyzedTask(0, job, run.Config);
            candidates.Add((run, task, new JobLaunch(job, run.Config, task.Outputs, run.JobRunId, JobRunLogs.PathOf(build.Options.LogDirectory, run.JobRunId)),
                string.IsNullOrEmpty(submission?.ExternalId) ? null : submission.ExternalId));
        }
        return candidates;
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
}
