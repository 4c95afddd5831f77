using DataBuild.Events;
using DataBuild.Execution;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Views;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Engine;

/// <summary>
/// One build request from start to end. All bookkeeping happens on the loop of <see cref="RunAsync"/>; job
/// processes run in parallel beside it and hand back their outcomes, which the loop records.
/// </summary>
internal sealed class BuildSession
{
    private readonly BuildEngine _engine;
    private readonly IReadOnlyList<string> _requested;
    private readonly BuildOptions _options;
    private readonly IProgress<BuildProgress>? _progress;
    private readonly BuildEventLog _log;
    private readonly GroupCommit _writes;
    private readonly string _id;
    private readonly BuildEventViews _views = new();
    private readonly Dictionary<string, PartitionStatus> _partitions = new(StringComparer.Ordinal);
    private readonly Dictionary<Task<RunOutcome>, AnalyzedTask> _running = [];
    private readonly Dictionary<string, int> _runningPerJob = new(StringComparer.Ordinal);
    private GraphAnalysis _analysis = null!;
    private TaskBoard _board = null!;
    private int _jobRuns;
    private int _delegated;
    private int _alreadyAvailable;
    private bool _waitingForSharedSlot;

    public BuildSession(BuildEngine engine, IReadOnlyList<string> requested, BuildOptions options, IProgress<BuildProgress>? progress)
    {
        _engine = engine;
        _requested = requested;
        _options = options;
        _progress = progress;
        _log = engine.Log;
        _writes = new GroupCommit(_log);
        _id = options.BuildRequestId ?? Guid.CreateVersion7().ToString();
    }

    public async Task<BuildResult> RunAsync(CancellationToken cancellationToken)
    {
        // Before the first append: one reading of the log serves both the views and the access layer.
        RefreshViews();
        _writes.Append(
            NewEvent.Request(_id, BuildRequestStatus.BuildRequestReceived, _requested, owner: Owners.Current),
            NewEvent.Request(_id, BuildRequestStatus.BuildRequestPlanning));
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(heartbeatStop.Token);
        try
        {
            var recovered = LostWork.Recover(_log, _views, _id, _options.Lease);
            foreach (var lost in recovered)
                Report(BuildProgressKind.Recovered, $"closed build request {lost}: its owner is gone");
            if (!await PlanAsync(cancellationToken))
                return await FinishAsync(heartbeatStop, heartbeat, BuildRequestStatus.BuildRequestCompleted, "everything requested is already available");
            await ExecuteAsync(cancellationToken);
        }
        catch (Exception e) when (e is ConfigureFailedException or GraphCycleException or LookupException)
        {
            MarkOpenPartitions(PartitionStatus.PartitionFailed, e.Message);
            await FinishAsync(heartbeatStop, heartbeat, BuildRequestStatus.BuildRequestFailed, e.Message);
            throw;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Handled below: everything still open is recorded as cancelled.
        }
        if (cancellationToken.IsCancellationRequested)
        {
            await CancelRunningAsync();
            MarkOpenPartitions(PartitionStatus.PartitionCancelled, "the build was cancelled");
            return await FinishAsync(heartbeatStop, heartbeat, BuildRequestStatus.BuildRequestCancelled, "cancelled");
        }
        var failed = _requested.Where(r => _partitions.GetValueOrDefault(r) != PartitionStatus.PartitionAvailable).ToArray();
        return failed.Length == 0
            ? await FinishAsync(heartbeatStop, heartbeat, BuildRequestStatus.BuildRequestCompleted, "")
            : await FinishAsync(heartbeatStop, heartbeat, BuildRequestStatus.BuildRequestFailed, $"not built: {string.Join(", ", failed)}");
    }

    // Returns false when there is nothing to build.
    private async Task<bool> PlanAsync(CancellationToken cancellationToken)
    {
        RefreshViews();
        var requested = _requested.ToHashSet(StringComparer.Ordinal);
        _analysis = new GraphAnalysis(_engine.Graph, _engine.Lookup, _engine.Configurer,
            r => !(_options.Force && requested.Contains(r)) && IsAvailable(r), _options.Parallelism);
        _analysis.Requested.AddRange(_requested);

        _writes.Append(_requested.Select(r => SetPartition(r, PartitionStatus.PartitionRequested)).ToList());
        await _analysis.AddAsync(_requested.Where(r => _options.Force || !IsAvailable(r)), cancellationToken);
        _board = new TaskBoard(_analysis);
        _board.Add(_analysis.Tasks, _views.Cursor);

        var events = new List<BuildEvent> { NewEvent.Graph(_id, _analysis.ToJobGraph()) };
        foreach (var task in _analysis.Tasks)
            foreach (var output in task.Outputs) events.Add(SetPartition(output, PartitionStatus.PartitionAnalyzed));
        // Decided after analysis: a batched config may rebuild a requested partition that is available.
        foreach (var r in _requested.Where(r => _analysis.ProducerOf(r) is null))
        {
            events.Add(SetPartition(r, PartitionStatus.PartitionAvailable, message: "already available"));
            _alreadyAvailable++;
        }
        events.Add(NewEvent.Request(_id, BuildRequestStatus.BuildRequestAnalysisCompleted,
            message: $"{_analysis.Tasks.Count} job runs planned, {_analysis.ConfigureCalls} configure calls"));
        if (_analysis.Tasks.Count > 0) events.Add(NewEvent.Request(_id, BuildRequestStatus.BuildRequestExecuting));
        _writes.Append(events);
        Report(BuildProgressKind.Planned, $"{_analysis.Tasks.Count} job runs planned for {_requested.Count} requested partitions");
        return _analysis.Tasks.Count > 0;
    }

    private async Task ExecuteAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            StartReadyTasks(cancellationToken);
            _writes.Flush();
            if (!_board.HasWork) return;
            var waits = _running.Keys.Cast<Task>().ToList();
            if (NextWakeUp() is { } delay) waits.Add(Task.Delay(delay, cancellationToken));
            // Ready tasks held back by the shared limit start when another build returns a slot.
            if (_waitingForSharedSlot) waits.Add(_options.SharedSlots!.WhenFreeAsync(cancellationToken));
            try
            {
                await Task.WhenAny(waits);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            foreach (var finished in _running.Keys.Where(t => t.IsCompleted).ToArray())
            {
                var task = _running[finished];
                _running.Remove(finished);
                _runningPerJob[task.Job.Label]--;
                _options.SharedSlots?.Return();
                if (cancellationToken.IsCancellationRequested) RecordCancelled(task, await finished);
                else await RecordOutcomeAsync(task, await finished, cancellationToken);
            }
            WakeWaitingTasks();
        }
    }

    private TimeSpan? NextWakeUp()
    {
        TimeSpan? wake = null;
        var now = _log.Clock.GetUtcNow();
        foreach (var task in _board.Waiting)
        {
            var entry = _board[task];
            var next = entry.State == TaskState.RetryWait ? entry.RetryAt - now : _options.PollInterval;
            if (wake is null || next < wake) wake = next;
        }
        return wake is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wake;
    }

    private void WakeWaitingTasks()
    {
        if (_board.Waiting.Count == 0) return;
        var now = _log.Clock.GetUtcNow();
        foreach (var task in _board.Waiting.ToArray())
            if (_board[task] is { State: TaskState.RetryWait } entry && entry.RetryAt <= now) _board.Set(task, TaskState.Pending);
        if (_board.CountOf(TaskState.Delegated) > 0) CheckDelegations();
    }

    private void StartReadyTasks(CancellationToken cancellationToken)
    {
        // A task found already built by another build is done at once, which can make its dependents ready:
        // go round again until no task finishes that way.
        _waitingForSharedSlot = false;
        var doneBefore = -1;
        while (doneBefore != _board.CountOf(TaskState.Done))
        {
            doneBefore = _board.CountOf(TaskState.Done);
            if (TryStartTogether(cancellationToken)) continue;
            foreach (var task in _board.Ready.ToArray())
            {
                if (_running.Count >= _options.Parallelism) return;
                if (task.Job.MaxConcurrency is { } max && _runningPerJob.GetValueOrDefault(task.Job.Label) >= max) continue;
                if (!TakeSharedSlot()) return;
                var launched = false;
                try
                {
                    launched = Start(task, cancellationToken);
                }
                finally
                {
                    if (!launched) _options.SharedSlots?.Return();
                }
            }
        }
    }

    // The common case: every task that can start now starts in one batch, written with the held outcomes.
    // When another build got to one of their partitions first, nothing is written and this returns false:
    // the tasks then start one by one, each handling that on its own.
    private bool TryStartTogether(CancellationToken cancellationToken)
    {
        var starts = new List<PendingStart>();
        var perJob = new Dictionary<string, int>(_runningPerJob, StringComparer.Ordinal);
        foreach (var task in _board.Ready)
        {
            if (_running.Count + starts.Count >= _options.Parallelism) break;
            var label = task.Job.Label;
            if (task.Job.MaxConcurrency is { } max && perJob.GetValueOrDefault(label) >= max) continue;
            if (!TakeSharedSlot()) break;
            perJob[label] = perJob.GetValueOrDefault(label) + 1;
            starts.Add(Prepare(task));
        }
        if (starts.Count == 0) return true;
        try
        {
            _writes.AppendUnlessBuiltSince(
                starts.SelectMany(start => start.Events).ToList(),
                starts.Select(start => ((IReadOnlyCollection<string>)start.Task.Outputs, _board[start.Task].JudgedAt)).ToList());
        }
        catch (Exception e) when (e is PartitionAlreadyBuildingException or PartitionBuiltSinceException)
        {
            foreach (var start in starts)
            {
                Undo(start);
                _options.SharedSlots?.Return();
            }
            _writes.Flush();
            return false;
        }
        catch when (_options.SharedSlots is { } slots)
        {
            foreach (var _ in starts) slots.Return();
            throw;
        }
        foreach (var start in starts) Launch(start, cancellationToken);
        return true;
    }

    private sealed record PendingStart(AnalyzedTask Task, string RunId, int Attempt, string LogPath, List<BuildEvent> Events,
        Dictionary<string, PartitionStatus> PreviousStatuses);

    // The events that start a run of the task; its outputs are BUILDING here until Undo.
    private PendingStart Prepare(AnalyzedTask task)
    {
        var runId = Guid.CreateVersion7().ToString();
        var attempt = _board[task].Attempts + 1;
        var logPath = Path.Combine(_options.LogDirectory, runId + ".log");
        var events = new List<BuildEvent>
        {
            NewEvent.Job(_id, runId, task.Job.Label, task.Outputs, JobStatus.JobScheduled, j =>
            {
                j.Config = task.Config;
                j.Attempt = attempt;
                j.JobVersion = task.Job.Version;
                j.LogPath = logPath;
            }),
        };
        var statuses = new Dictionary<string, PartitionStatus>(StringComparer.Ordinal);
        foreach (var output in task.Outputs)
        {
            statuses[output] = _partitions.GetValueOrDefault(output);
            events.Add(SetPartition(output, PartitionStatus.PartitionBuilding, runId));
        }
        events.Add(NewEvent.Job(_id, runId, task.Job.Label, task.Outputs, JobStatus.JobRunning, j => j.Owner = Owners.Current));
        return new PendingStart(task, runId, attempt, logPath, events, statuses);
    }

    private bool TakeSharedSlot()
    {
        if (_options.SharedSlots is not { } slots || slots.TryTake()) return true;
        _waitingForSharedSlot = true;
        return false;
    }

    private void Undo(PendingStart start)
    {
        foreach (var (output, status) in start.PreviousStatuses) _partitions[output] = status;
    }

    // Returns false when the task did not launch a run: delegated, or found built elsewhere.
    private bool Start(AnalyzedTask task, CancellationToken cancellationToken)
    {
        var entry = _board[task];
        var start = Prepare(task);
        while (true)
        {
            try
            {
                _writes.AppendUnlessBuiltSince(start.Events, [(task.Outputs, entry.JudgedAt)]);
                break;
            }
            catch (PartitionAlreadyBuildingException)
            {
                Undo(start);
                Delegate(task);
                return false;
            }
            catch (PartitionBuiltSinceException)
            {
                Undo(start);
                RefreshViews();
                entry.JudgedAt = _views.Cursor;
                if (task.Outputs.All(IsAvailable))
                {
                    FinishBuiltElsewhere(task, "built by another build after this one planned it");
                    return false;
                }
                // Another build, batching its configs differently, built only some of these outputs: the
                // job must still run for the rest, so it runs here, judged against the log as it is now.
                foreach (var output in task.Outputs) _partitions[output] = PartitionStatus.PartitionBuilding;
            }
        }
        Launch(start, cancellationToken);
        return true;
    }

    private void Launch(PendingStart start, CancellationToken cancellationToken)
    {
        var task = start.Task;
        _board[task].Attempts = start.Attempt;
        _board.Set(task, TaskState.Running);
        _runningPerJob[task.Job.Label] = _runningPerJob.GetValueOrDefault(task.Job.Label) + 1;
        _jobRuns++;
        _running[RunJobAsync(task, start.RunId, start.LogPath, cancellationToken)] = task;
        Report(BuildProgressKind.JobStarted, start.Attempt > 1 ? $"attempt {start.Attempt}" : "", task, start.RunId, start.LogPath);
    }

    private async Task<RunOutcome> RunJobAsync(AnalyzedTask task, string runId, string logPath, CancellationToken cancellationToken)
    {
        var env = new Dictionary<string, string>(task.Config.Env)
        {
            ["DATABUILD_JOB_RUN_ID"] = runId,
            ["DATABUILD_JOB_LABEL"] = task.Job.Label,
            ["DATABUILD_OUTPUTS"] = string.Join(';', task.Outputs),
        };
        var started = DateTimeOffset.UtcNow;
        var result = await ProcessRunner.RunAsync(new ProcessSpec(
            _engine.Graph.ResolveCommand(task.Job),
            ["exec", .. task.Config.Args],
            _engine.Graph.WorkingDirectory,
            env,
            JobContract.ConfigJson(task.Config),
            task.Job.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            logPath,
            CaptureLimit: 16 * 1024,
            MarkerPrefix: JobContract.MissingDepsPrefix), cancellationToken);
        return new RunOutcome(runId, logPath, result, started);
    }

    private sealed record RunOutcome(string JobRunId, string LogPath, ProcessResult Result, DateTimeOffset Started);

    private async Task RecordOutcomeAsync(AnalyzedTask task, RunOutcome outcome, CancellationToken cancellationToken)
    {
        var entry = _board[task];
        var result = outcome.Result;
        if (result.Succeeded)
        {
            var events = new List<BuildEvent> { JobEnded(task, outcome, JobStatus.JobCompleted, "", j => j.Manifests.Add(Manifest(task, outcome))) };
            foreach (var output in task.Outputs) events.Add(SetPartition(output, PartitionStatus.PartitionAvailable, outcome.JobRunId));
            _writes.Hold(events);
            _board.Set(task, TaskState.Done);
            Report(BuildProgressKind.JobSucceeded, $"done in {result.Duration.TotalSeconds:0.0}s", task, outcome.JobRunId, outcome.LogPath);
            return;
        }

        IReadOnlyList<MissingDeps>? missing = null;
        string? contractError = null;
        try
        {
            if (result.Outcome == ProcessOutcome.Exited) missing = JobContract.ParseMissingDeps(task.Job.Label, result.MarkedLines);
        }
        catch (JobContractException e)
        {
            contractError = e.Message;
        }

        if (missing is not null)
        {
            await RecordMissingDepsAsync(task, entry, outcome, missing, cancellationToken);
            return;
        }

        var why = contractError ?? Describe(result);
        var failed = new List<BuildEvent> { JobEnded(task, outcome, JobStatus.JobFailed, why, null) };
        foreach (var output in task.Outputs) failed.Add(SetPartition(output, PartitionStatus.PartitionFailed, outcome.JobRunId, why));
        _writes.Append(failed);
        var retryable = contractError is null && entry.Attempts <= task.Job.Retries;
        if (retryable)
        {
            var delay = RetryDelay(entry.Attempts);
            entry.RetryAt = _log.Clock.GetUtcNow() + delay;
            _board.Set(task, TaskState.RetryWait);
            Report(BuildProgressKind.JobRetrying, $"{why}; retrying in {delay.TotalSeconds:0.#}s", task, outcome.JobRunId, outcome.LogPath);
        }
        else
        {
            Fail(task, why, outcome);
        }
    }

    private async Task RecordMissingDepsAsync(AnalyzedTask task, TaskBoard.Entry entry, RunOutcome outcome, IReadOnlyList<MissingDeps> missing,
        CancellationToken cancellationToken)
    {
        var refs = missing.SelectMany(m => m.Missing).Select(r => r.Str).Distinct(StringComparer.Ordinal).ToArray();
        var summary = $"reported missing dependencies: {string.Join(", ", refs)}";
        var events = new List<BuildEvent> { JobEnded(task, outcome, JobStatus.JobMissingDeps, summary, j => j.MissingDeps.AddRange(missing)) };
        foreach (var output in task.Outputs) events.Add(SetPartition(output, PartitionStatus.PartitionAnalyzed, outcome.JobRunId, summary));
        _writes.Append(events);
        Report(BuildProgressKind.JobMissingDeps, summary, task, outcome.JobRunId, outcome.LogPath);

        entry.MissingDepsRounds++;
        var problem = entry.MissingDepsRounds > _options.MaxMissingDepsRounds
            ? $"gave up after the job reported missing dependencies {entry.MissingDepsRounds} times (last: {string.Join(", ", refs)})"
            : null;
        if (problem is null)
        {
            try
            {
                RefreshViews();
                var added = await _analysis.AddInputsAsync(task, refs, cancellationToken);
                _board.Add(added, _views.Cursor);
                _board.InputsChanged(task);
                if (added.Count > 0)
                {
                    // The added tasks join the recorded job graph, so readers of the log see what each run was for.
                    var graphEvents = new List<BuildEvent> { NewEvent.Graph(_id, _analysis.ToJobGraph(added, refs), $"added after {task.Job.Label} {summary}") };
                    graphEvents.AddRange(added.SelectMany(t => t.Outputs).Select(o => SetPartition(o, PartitionStatus.PartitionAnalyzed)));
                    _writes.Append(graphEvents);
                }
                _board.Set(task, TaskState.Pending);
                return;
            }
            catch (Exception e) when (e is ConfigureFailedException or GraphCycleException or LookupException)
            {
                problem = $"its missing dependencies cannot be built: {e.Message}";
            }
        }
        _writes.Append(task.Outputs.Select(output => SetPartition(output, PartitionStatus.PartitionFailed, outcome.JobRunId, problem)).ToList());
        Fail(task, problem, outcome);
    }

    // Marks the task failed, then every task downstream of it, whose inputs can now never be built.
    private void Fail(AnalyzedTask task, string why, RunOutcome? outcome)
    {
        var doomed = _board.Set(task, TaskState.Failed);
        Report(BuildProgressKind.JobFailed, why, task, outcome?.JobRunId ?? "", outcome?.LogPath ?? "");
        foreach (var dependent in doomed)
        {
            if (_board[dependent].State != TaskState.Pending) continue;
            var upstreamWhy = $"upstream {task.Outputs[0]} failed";
            _writes.Append(dependent.Outputs.Select(output => SetPartition(output, PartitionStatus.PartitionFailed, message: upstreamWhy)).ToList());
            Fail(dependent, upstreamWhy, null);
        }
    }

    private void Delegate(AnalyzedTask task)
    {
        var entry = _board[task];
        RefreshViews();
        var events = new List<BuildEvent>();
        foreach (var output in task.Outputs)
        {
            var state = _views.Catalog.Get(output);
            if (state is not { Status: PartitionStatus.PartitionBuilding } || state.BuildRequestId == _id) continue;
            entry.DelegatedPartitions.Add(output);
            if (_partitions.GetValueOrDefault(output) == PartitionStatus.PartitionDelegated) continue;
            events.Add(SetPartitionDelegated(output, state));
        }
        if (events.Count > 0) _writes.Append(events);
        _board.Set(task, TaskState.Delegated);
        Report(BuildProgressKind.Delegated, $"waiting for another build of {string.Join(", ", entry.DelegatedPartitions)}", task,
            partitions: entry.DelegatedPartitions.ToArray());
    }

    private BuildEvent SetPartitionDelegated(string partitionRef, PartitionState owner)
    {
        _partitions[partitionRef] = PartitionStatus.PartitionDelegated;
        _delegated++;
        return NewEvent.Delegation(_id, partitionRef, owner.BuildRequestId, owner.JobRunId, $"build request {owner.BuildRequestId} is building it");
    }

    private void CheckDelegations()
    {
        _writes.Flush();
        LostWork.Recover(_log, _views, _id, _options.Lease);
        foreach (var task in _board.Waiting.Where(t => _board[t].State == TaskState.Delegated).ToArray())
        {
            var entry = _board[task];
            var states = entry.DelegatedPartitions.Select(p => _views.Catalog.Get(p)).ToArray();
            if (states.Any(s => s?.Status == PartitionStatus.PartitionBuilding && s.BuildRequestId != _id)) continue;
            entry.DelegatedPartitions.Clear();
            if (task.Outputs.All(o => _views.Catalog.IsAvailable(o, _engine.JobVersions)))
            {
                FinishBuiltElsewhere(task, "built by the build delegated to");
            }
            else
            {
                // The other build failed or was lost: build it here.
                entry.JudgedAt = _views.Cursor;
                _board.Set(task, TaskState.Pending);
            }
        }
    }

    private void FinishBuiltElsewhere(AnalyzedTask task, string why)
    {
        _writes.Append(task.Outputs.Select(o => SetPartition(o, PartitionStatus.PartitionAvailable, message: why)).ToList());
        _board.Set(task, TaskState.Done);
        Report(BuildProgressKind.DelegationFinished, "built by another build", task);
    }

    private async Task CancelRunningAsync()
    {
        foreach (var (running, task) in _running.ToArray())
        {
            RecordCancelled(task, await running);
            _runningPerJob[task.Job.Label]--;
            _options.SharedSlots?.Return();
        }
        _running.Clear();
    }

    private void RecordCancelled(AnalyzedTask task, RunOutcome outcome)
    {
        const string why = "the build was cancelled";
        var events = new List<BuildEvent> { JobEnded(task, outcome, JobStatus.JobCancelled, why, null) };
        foreach (var output in task.Outputs) events.Add(SetPartition(output, PartitionStatus.PartitionCancelled, outcome.JobRunId, why));
        _writes.Append(events);
        _board.Set(task, TaskState.Failed);
        Report(BuildProgressKind.JobCancelled, why, task, outcome.JobRunId, outcome.LogPath);
    }

    // Closes every partition of this request that is still in flight, so the request can end.
    private void MarkOpenPartitions(PartitionStatus status, string message)
    {
        var open = _partitions
            .Where(p => p.Value is PartitionStatus.PartitionRequested or PartitionStatus.PartitionAnalyzed or PartitionStatus.PartitionDelegated)
            .Select(p => p.Key)
            .ToArray();
        if (open.Length > 0) _writes.Append(open.Select(p => SetPartition(p, status, message: message)).ToList());
    }

    private async Task<BuildResult> FinishAsync(CancellationTokenSource heartbeatStop, Task heartbeat, BuildRequestStatus status, string message)
    {
        await heartbeatStop.CancelAsync();
        await heartbeat;
        _writes.Append(NewEvent.Request(_id, status, message: message));
        var failed = _partitions.Where(p => p.Value is PartitionStatus.PartitionFailed or PartitionStatus.PartitionCancelled)
            .Select(p => p.Key).Order(StringComparer.Ordinal).ToArray();
        return new BuildResult(_id, status, _requested, failed, _jobRuns, _alreadyAvailable, _delegated, message);
    }

    private async Task HeartbeatAsync(CancellationToken stop)
    {
        try
        {
            while (true)
            {
                _log.Append(NewEvent.Heartbeat(_id, Owners.Current, BuildEventLog.UnixNanos(_log.Clock.GetUtcNow() + _options.Lease)));
                await Task.Delay(_options.HeartbeatInterval, stop);
            }
        }
        catch (OperationCanceledException)
        {
            // The build is finishing.
        }
    }

    // Reads what was appended since the last refresh, after writing what is held, so the views see it too.
    private void RefreshViews()
    {
        _writes.Flush();
        _views.Refresh(_log);
    }

    private bool IsAvailable(string partitionRef)
    {
        var state = _views.Catalog.Get(partitionRef, _engine.JobVersions);
        return state?.Status == PartitionStatus.PartitionAvailable || (state?.Status == PartitionStatus.PartitionStale && !_options.RebuildStale);
    }

    private BuildEvent SetPartition(string partitionRef, PartitionStatus status, string jobRunId = "", string message = "")
    {
        _partitions[partitionRef] = status;
        return NewEvent.Partition(_id, partitionRef, status, jobRunId, message);
    }

    private BuildEvent JobEnded(AnalyzedTask task, RunOutcome outcome, JobStatus status, string message, Action<JobEvent>? details) =>
        NewEvent.Job(_id, outcome.JobRunId, task.Job.Label, task.Outputs, status, j =>
        {
            j.Message = message;
            j.ExitCode = outcome.Result.ExitCode;
            j.DurationMs = (long)outcome.Result.Duration.TotalMilliseconds;
            j.LogPath = outcome.LogPath;
            j.Attempt = _board[task].Attempts;
            details?.Invoke(j);
        });

    private static PartitionManifest Manifest(AnalyzedTask task, RunOutcome outcome)
    {
        var manifest = new PartitionManifest
        {
            StartTime = outcome.Started.ToUnixTimeSeconds(),
            EndTime = (outcome.Started + outcome.Result.Duration).ToUnixTimeSeconds(),
            Task = new Proto.Task { Job = new JobLabel { Label = task.Job.Label }, Config = task.EffectiveConfig() },
        };
        manifest.Outputs.AddRange(task.Config.Outputs);
        return manifest;
    }

    private TimeSpan RetryDelay(int attempt)
    {
        var delay = _options.RetryDelay * Math.Pow(2, attempt - 1);
        return delay < _options.MaxRetryDelay ? delay : _options.MaxRetryDelay;
    }

    private static string Describe(ProcessResult result) => result.Outcome switch
    {
        ProcessOutcome.TimedOut => $"timed out after {result.Duration.TotalSeconds:0.#}s and was killed",
        ProcessOutcome.FailedToStart => result.StandardError,
        ProcessOutcome.Cancelled => "cancelled",
        _ => $"exit code {result.ExitCode}" + (result.StandardError.Trim().Length > 0
            ? $": {LastLine(result.StandardError)}"
            : ""),
    };

    private static string LastLine(string text) => text.TrimEnd().Split('\n')[^1].Trim();

    private void Report(BuildProgressKind kind, string message, AnalyzedTask? task = null, string runId = "", string logPath = "",
        IReadOnlyList<string>? partitions = null)
    {
        if (_progress is null) return;
        var board = _board;
        var done = board?.CountOf(TaskState.Done) ?? 0;
        var failed = board?.CountOf(TaskState.Failed) ?? 0;
        var running = board?.CountOf(TaskState.Running) ?? 0;
        _progress.Report(new BuildProgress(kind, message, task?.Job.Label ?? "", runId, partitions ?? task?.Outputs, logPath,
            running, done, failed, (board?.Count ?? 0) - done - failed - running));
    }
}
