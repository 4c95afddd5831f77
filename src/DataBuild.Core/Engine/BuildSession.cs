using DataBuild.Events;
using DataBuild.Execution;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Views;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Engine;

/// <summary>
/// One build request from start to end: plan, then start every task that is ready, wait for a run to end
/// or a wait to pass, record what happened, and again. All bookkeeping happens on this loop; job processes
/// run in parallel beside it (<see cref="JobRunner"/>) and hand back their outcomes, which the loop records
/// (<see cref="BuildRecorder"/>).
/// </summary>
internal sealed class BuildSession
{
    private readonly IReadOnlyList<string> _requested;
    private readonly BuildContext _build;
    private readonly BuildOptions _options;
    private readonly JobLaunches _launches;
    private readonly Delegation _delegation;
    private readonly RunningJobs _running;
    private readonly UpstreamWaits _upstreams;
    private GraphAnalysis _analysis = null!;
    private int _jobRuns;

    public BuildSession(BuildEngine engine, IReadOnlyList<string> requested, BuildOptions options, IProgress<BuildProgress>? progress)
    {
        _requested = requested;
        _options = options;
        _build = new BuildContext(engine, options, progress);
        _launches = new JobLaunches(_build);
        _delegation = new Delegation(_build);
        _running = new RunningJobs(options);
        _upstreams = new UpstreamWaits(_build, (task, why) => Fail(task, why, null));
    }

    private TaskBoard Board => _build.Board;

    private BuildRecorder Recorder => _build.Recorder;

    public async Task<BuildResult> RunAsync(CancellationToken cancellationToken)
    {
        // Before the first append: one reading of the log serves both the views and the access layer.
        _build.RefreshViews();
        _build.Writes.Append(
            NewEvent.Request(_build.Id, BuildRequestStatus.BuildRequestReceived, _requested, owner: Owners.Current, backfillId: _options.BackfillId,
                requestedBy: _options.RequestedBy),
            NewEvent.Request(_build.Id, BuildRequestStatus.BuildRequestPlanning));
        using var heartbeat = new Heartbeat(_build.Log, _build.Id, _options);
        await using var following = _upstreams;
        // Jobs stop on Ctrl-C, and also when the log fails and the build cannot go on.
        using var jobsStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            if (await AdoptedRuns.AdoptAsync(_build, _launches, jobsStop.Token) is { } problem)
                return await FinishAsync(heartbeat, BuildRequestStatus.BuildRequestFailed, problem);
            foreach (var lost in LostWork.Recover(_build.Log, _build.Views, _build.Id, _options.Lease))
                _build.Progress.Report(BuildProgressKind.Recovered, details: p => p.BuildRequestId = lost);
            _analysis = await BuildPlanner.PlanAsync(_build, _requested, cancellationToken);
            if (_analysis.Tasks.Count == 0 && _analysis.Awaited.Count == 0)
                return await FinishAsync(heartbeat, BuildRequestStatus.BuildRequestCompleted, "everything requested is already available");
            _upstreams.AskForNew(_analysis);
            await ExecuteAsync(heartbeat, cancellationToken, jobsStop.Token);
        }
        catch (Exception e) when (e is ConfigureFailedException or GraphCycleException or LookupException)
        {
            Recorder.MarkOpenPartitions(PartitionStatus.PartitionFailed, e.Message);
            await FinishAsync(heartbeat, BuildRequestStatus.BuildRequestFailed, e.Message);
            throw;
        }
        catch (IOException e) when (e is EventStorageFailedException or EventStorageUnavailableException)
        {
            await jobsStop.CancelAsync();
            await StopAfterStorageFailureAsync(heartbeat, e);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Handled below: everything still open is recorded as cancelled.
        }
        if (cancellationToken.IsCancellationRequested)
        {
            await RecordRunningAsync(cancellationToken);
            Recorder.MarkOpenPartitions(PartitionStatus.PartitionCancelled, "the build was cancelled");
            return await FinishAsync(heartbeat, BuildRequestStatus.BuildRequestCancelled, "cancelled");
        }
        var failed = _requested.Where(r => Recorder.StatusOf(r) != PartitionStatus.PartitionAvailable).ToArray();
        return failed.Length == 0
            ? await FinishAsync(heartbeat, BuildRequestStatus.BuildRequestCompleted, "")
            : await FinishAsync(heartbeat, BuildRequestStatus.BuildRequestFailed, $"not built: {string.Join(", ", failed)}");
    }

    private async Task ExecuteAsync(Heartbeat heartbeat, CancellationToken cancellationToken, CancellationToken jobsStop)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            if (heartbeat.Failure is { } failure) throw failure;
            StartReadyTasks(jobsStop);
            _build.Writes.Flush();
            if (!Board.HasWork && !_upstreams.AwaitsRequested(_requested)) return;
            var waits = _running.Runs.Cast<Task>().ToList();
            if (_upstreams.HasOpen) waits.Add(_upstreams.WhenNewsAsync(cancellationToken));
            if (Board.NextWakeUp(_build.Log.Clock.GetUtcNow(), _options.PollInterval) is { } delay) waits.Add(Task.Delay(delay, cancellationToken));
            // Ready tasks held back by the shared limit start when another build returns a slot.
            if (_running.WaitingForSharedSlot) waits.Add(_running.WhenSlotFreeAsync(cancellationToken));
            if (_launches.HasRemote) waits.Add(_launches.WhenSubmitted);
            try
            {
                await Task.WhenAny(waits);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            _launches.RecordSubmitted();
            foreach (var finished in _running.Runs.Where(t => t.IsCompleted).ToArray())
                await RecordEndAsync(finished, cancellationToken);
            WakeWaitingTasks();
            _upstreams.Record();
        }
    }

    private void WakeWaitingTasks()
    {
        if (Board.Waiting.Count == 0) return;
        var now = _build.Log.Clock.GetUtcNow();
        foreach (var task in Board.Waiting.ToArray())
            if (Board[task] is { State: TaskState.RetryWait } entry && entry.RetryAt <= now) Board.Set(task, TaskState.Pending);
        if (Board.CountOf(TaskState.Delegated) > 0) _delegation.Check();
    }

    private void StartReadyTasks(CancellationToken jobsStop)
    {
        // A task found already built by another build is done at once, which can make its dependents ready:
        // go round again until no task finishes that way.
        _running.NewRound();
        var doneBefore = -1;
        while (doneBefore != Board.CountOf(TaskState.Done))
        {
            doneBefore = Board.CountOf(TaskState.Done);
            if (TryStartTogether(jobsStop)) continue;
            foreach (var task in Board.Ready.ToArray())
            {
                if (!_running.HasRoomFor(0)) return;
                if (task.Job.MaxConcurrency is { } max && _running.RunningOf(task.Job.Label) >= max) continue;
                if (!_running.TryTakeSlot()) return;
                var launched = false;
                try
                {
                    launched = Start(task, jobsStop);
                }
                finally
                {
                    if (!launched) _running.ReturnSlot();
                }
            }
        }
    }

    // The common case: every task that can start now starts in one batch, written with the held outcomes.
    // When another build got to one of their partitions first, nothing is written and this returns false:
    // the tasks then start one by one, each handling that on its own.
    private bool TryStartTogether(CancellationToken jobsStop)
    {
        var starts = new List<RunStart>();
        var perJob = new Dictionary<string, int>(_running.PerJob, StringComparer.Ordinal);
        foreach (var task in Board.Ready)
        {
            if (!_running.HasRoomFor(starts.Count)) break;
            var label = task.Job.Label;
            if (task.Job.MaxConcurrency is { } max && perJob.GetValueOrDefault(label) >= max) continue;
            if (!_running.TryTakeSlot()) break;
            perJob[label] = perJob.GetValueOrDefault(label) + 1;
            starts.Add(Recorder.Start(task, Board[task].Attempts + 1, _options.LogDirectory, _launches.DefersRunning(task)));
        }
        if (starts.Count == 0) return true;
        try
        {
            _build.Writes.AppendUnlessBuiltSince(
                starts.SelectMany(start => start.Events).ToList(),
                starts.Select(start => ((IReadOnlyCollection<string>)start.Task.Outputs, Board[start.Task].JudgedAt)).ToList());
        }
        catch (Exception e) when (e is PartitionAlreadyBuildingException or PartitionBuiltSinceException)
        {
            foreach (var start in starts)
            {
                Recorder.Undo(start);
                _running.ReturnSlot();
            }
            _build.Writes.Flush();
            return false;
        }
        catch
        {
            foreach (var _ in starts) _running.ReturnSlot();
            throw;
        }
        foreach (var start in starts) Launch(start, jobsStop);
        return true;
    }

    // Returns false when the task did not launch a run: delegated, or found built elsewhere.
    private bool Start(AnalyzedTask task, CancellationToken jobsStop)
    {
        var entry = Board[task];
        var start = Recorder.Start(task, entry.Attempts + 1, _options.LogDirectory, _launches.DefersRunning(task));
        while (true)
        {
            try
            {
                _build.Writes.AppendUnlessBuiltSince(start.Events, [(task.Outputs, entry.JudgedAt)]);
                break;
            }
            catch (PartitionAlreadyBuildingException)
            {
                Recorder.Undo(start);
                _delegation.Delegate(task);
                return false;
            }
            catch (PartitionBuiltSinceException)
            {
                Recorder.Undo(start);
                _build.RefreshViews();
                entry.JudgedAt = _build.Views.Cursor;
                if (task.Outputs.All(_build.IsAvailable))
                {
                    _delegation.FinishBuiltElsewhere(task, "built by another build after this one planned it");
                    return false;
                }
                // Another build, batching its configs differently, built only some of these outputs: the
                // job must still run for the rest, so it runs here, judged against the log as it is now.
                Recorder.Redo(start);
            }
        }
        Launch(start, jobsStop);
        return true;
    }

    private void Launch(RunStart start, CancellationToken jobsStop)
    {
        var task = start.Task;
        Board[task].Attempts = start.Attempt;
        Board.Set(task, TaskState.Running);
        _jobRuns++;
        _running.Add(_launches.Start(start, jobsStop), task);
        _build.Progress.Report(BuildProgressKind.JobStarted, task, p => (p.JobRunId, p.LogPath, p.Attempt) = (start.RunId, start.LogPath, start.Attempt));
    }

    private async Task RecordEndAsync(Task<JobRunOutcome> finished, CancellationToken cancellationToken)
    {
        var task = _running.Remove(finished);
        _launches.RecordSubmitted();
        await RecordOutcomeAsync(task, await finished, cancellationToken);
    }

    // A run is recorded as it ended, also while the build is being cancelled: a job that exited 0 built its
    // outputs, whenever the Ctrl-C came. Only what cancellation itself stopped is recorded CANCELLED.
    private async Task RecordOutcomeAsync(AnalyzedTask task, JobRunOutcome outcome, CancellationToken cancellationToken)
    {
        var entry = Board[task];
        var stopping = cancellationToken.IsCancellationRequested;
        switch (outcome.Verdict)
        {
            case JobRunVerdict.Succeeded:
                _build.Writes.Hold(Recorder.Ended(task, outcome, entry.Attempts, ""));
                Board.Set(task, TaskState.Done);
                _build.Progress.Run(BuildProgressKind.JobSucceeded, task, outcome, entry.Attempts,
                    p => p.DurationSeconds = outcome.Process.Duration.TotalSeconds);
                return;
            case JobRunVerdict.Cancelled:
                _build.Writes.Append(Recorder.Ended(task, outcome, entry.Attempts, outcome.Why));
                Board.Set(task, TaskState.Failed);
                _build.Progress.Run(BuildProgressKind.JobCancelled, task, outcome, entry.Attempts);
                return;
            case JobRunVerdict.MissingDeps:
                await RecordMissingDepsAsync(task, entry, outcome, stopping, cancellationToken);
                return;
        }
        _build.Writes.Append(Recorder.Ended(task, outcome, entry.Attempts, outcome.Why));
        if (!stopping && outcome.Verdict == JobRunVerdict.Failed && entry.Attempts <= task.Job.Retries)
        {
            var delay = new Backoff(_options.RetryDelay, _options.MaxRetryDelay).After(entry.Attempts);
            entry.RetryAt = _build.Log.Clock.GetUtcNow() + delay;
            Board.Set(task, TaskState.RetryWait);
            _build.Progress.Run(BuildProgressKind.JobRetrying, task, outcome, entry.Attempts, p =>
            {
                p.Reason = outcome.Why;
                p.RetryDelaySeconds = delay.TotalSeconds;
            });
        }
        else
        {
            Fail(task, outcome.Why, outcome);
        }
    }

    private async Task RecordMissingDepsAsync(AnalyzedTask task, TaskBoard.Entry entry, JobRunOutcome outcome, bool stopping,
        CancellationToken cancellationToken)
    {
        var refs = outcome.MissingDeps.SelectMany(m => m.Missing).Select(r => r.Str).Distinct(StringComparer.Ordinal).ToArray();
        var summary = $"reported missing dependencies: {string.Join(", ", refs)}";
        _build.Writes.Append(Recorder.Ended(task, outcome, entry.Attempts, summary));
        _build.Progress.Run(BuildProgressKind.JobMissingDeps, task, outcome, entry.Attempts, p => p.MissingDeps.AddRange(refs));
        if (stopping)
        {
            // Its outputs are ANALYZED again; the cancellation closes them with the rest.
            Board.Set(task, TaskState.Failed);
            return;
        }

        entry.MissingDepsRounds++;
        var problem = entry.MissingDepsRounds > _options.MaxMissingDepsRounds
            ? $"gave up after the job reported missing dependencies {entry.MissingDepsRounds} times (last: {string.Join(", ", refs)})"
            : null;
        if (problem is null)
        {
            try
            {
                _build.RefreshViews();
                var added = await _analysis.AddInputsAsync(task, refs, cancellationToken);
                Board.Add(added, _build.Views.Cursor);
                Board.InputsChanged(task);
                _upstreams.AskForNew(_analysis);
                if (added.Count > 0)
                {
                    // The added tasks join the recorded job graph, so readers of the log see what each run was for.
                    var graphEvents = new List<BuildEvent> { NewEvent.Graph(_build.Id, _analysis.ToJobGraph(added, refs), $"added after {task.Job.Label} {summary}") };
                    graphEvents.AddRange(added.SelectMany(t => t.Outputs).Select(o => Recorder.SetPartition(o, PartitionStatus.PartitionAnalyzed)));
                    _build.Writes.Append(graphEvents);
                }
                Board.Set(task, TaskState.Pending);
                return;
            }
            catch (Exception e) when (e is ConfigureFailedException or GraphCycleException or LookupException)
            {
                problem = $"its missing dependencies cannot be built: {e.Message}";
            }
        }
        _build.Writes.Append(task.Outputs.Select(output => Recorder.SetPartition(output, PartitionStatus.PartitionFailed, outcome.JobRunId, problem)).ToList());
        Fail(task, problem, outcome);
    }

    // Marks the task failed, then every task downstream of it, whose inputs can now never be built.
    private void Fail(AnalyzedTask task, string why, JobRunOutcome? outcome)
    {
        var doomed = Board.Set(task, TaskState.Failed);
        if (outcome is null) _build.Progress.Report(BuildProgressKind.JobFailed, task, p => p.Reason = why);
        else _build.Progress.Run(BuildProgressKind.JobFailed, task, outcome, Board[task].Attempts, p => p.Reason = why);
        foreach (var dependent in doomed)
        {
            if (Board[dependent].State != TaskState.Pending) continue;
            var upstreamWhy = $"upstream {task.Outputs[0]} failed";
            _build.Writes.Append(dependent.Outputs.Select(output => Recorder.SetPartition(output, PartitionStatus.PartitionFailed, message: upstreamWhy)).ToList());
            Fail(dependent, upstreamWhy, null);
        }
    }

    // After a Ctrl-C: every run still going is being stopped; each is recorded as it ended.
    private async Task RecordRunningAsync(CancellationToken cancellationToken)
    {
        foreach (var running in _running.Runs.ToArray())
        {
            await running;
            await RecordEndAsync(running, cancellationToken);
        }
    }

    // The log failed: the jobs are being stopped. Once they are, one more try to record the end of this
    // request, judged from what the log holds; if that fails too, the next build recovers it as lost.
    private async Task StopAfterStorageFailureAsync(Heartbeat heartbeat, IOException failure)
    {
        await Task.WhenAll(_running.Runs);
        _running.Clear();
        await heartbeat.StopAsync();
        try
        {
            _build.Views.Refresh(_build.Log);
            _build.Log.Append(LostWork.CloseEvents(_build.Log, _build.Views, _build.Id, BuildRequestStatus.BuildRequestFailed,
                $"stopped: {failure.Message}"));
        }
        catch (Exception e) when (e is EventStorageFailedException or EventStorageUnavailableException or InvalidEventException)
        {
            // Still failing: the request stays open until a later build finds its owner gone.
        }
    }

    private async Task<BuildResult> FinishAsync(Heartbeat heartbeat, BuildRequestStatus status, string message)
    {
        _upstreams.CloseOpen("the build ended before the upstream graph answered");
        await heartbeat.StopAsync();
        _build.Writes.Append(NewEvent.Request(_build.Id, status, message: message));
        // The views are current, so a snapshot past the threshold costs only its writing (docs/event-log.md#snapshots).
        ViewSnapshots.WriteIfDue(_build.Log, _build.Views);
        return Recorder.Result(status, message, _requested, _jobRuns);
    }
}
