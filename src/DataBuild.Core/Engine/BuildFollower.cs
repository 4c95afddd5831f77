using DataBuild.Proto;

namespace DataBuild.Engine;

/// <summary>
/// Turns the events of one build request, read from its log in order (as a follower of a service's log reads them),
/// into the <see cref="BuildProgress"/> a build in this process reports, and at its end into its <see cref="BuildResult"/>:
/// how <c>databuild build --server</c> shows a build that runs in a service. The log does not say whether a failed run
/// will be retried, so a failure is reported when that is known: as JobRetrying when the task is scheduled again, as
/// JobFailed when the request ends.
/// </summary>
public sealed class BuildFollower(string buildRequestId, IProgress<BuildProgress> progress)
{
    private readonly HashSet<string> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _jobOf = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PartitionStatus> _partitions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _delegated = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedTasks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobEvent> _scheduled = new(StringComparer.Ordinal);
    private readonly HashSet<string> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (JobEvent Run, long At)> _failures = new(StringComparer.Ordinal);
    private readonly List<string> _requested = [];
    private int _done;
    private int _jobRuns;
    private int _alreadyAvailable;

    /// <summary>How the build ended, once its last event has been read; null while it runs.</summary>
    public BuildResult? Result { get; private set; }

    public void Add(StoredEvent stored)
    {
        var e = stored.Event;
        if (e.BuildRequestId != buildRequestId || Result is not null) return;
        switch (e.EventTypeCase)
        {
            case BuildEvent.EventTypeOneofCase.BuildRequestEvent:
                OnRequest(e.BuildRequestEvent);
                break;
            case BuildEvent.EventTypeOneofCase.JobGraphEvent:
                foreach (var node in e.JobGraphEvent.JobGraph.Nodes.Where(n => n.Config?.Outputs.Count > 0))
                {
                    _tasks.Add(node.Config.Outputs[0].Str);
                    foreach (var output in node.Config.Outputs) _jobOf[output.Str] = node.Job?.Label ?? "";
                }
                break;
            case BuildEvent.EventTypeOneofCase.JobEvent:
                OnJob(e.JobEvent, e.Timestamp);
                break;
            case BuildEvent.EventTypeOneofCase.PartitionEvent:
                OnPartition(e.PartitionEvent);
                break;
            case BuildEvent.EventTypeOneofCase.DelegationEvent:
                var delegated = e.DelegationEvent.PartitionRef.Str;
                _delegated.Add(delegated);
                Report(BuildProgressKind.Delegated, JobOf(delegated), [delegated]);
                break;
        }
    }

    private void OnRequest(BuildRequestEvent request)
    {
        switch (request.Status)
        {
            case BuildRequestStatus.BuildRequestReceived:
                _requested.AddRange(request.RequestedPartitions.Select(p => p.Str));
                break;
            case BuildRequestStatus.BuildRequestAnalysisCompleted:
                Report(BuildProgressKind.Planned, "", [], p =>
                {
                    p.PlannedJobRuns = _tasks.Count;
                    p.RequestedPartitions = _requested.Count;
                });
                break;
            case BuildRequestStatus.BuildRequestCompleted or BuildRequestStatus.BuildRequestFailed or BuildRequestStatus.BuildRequestCancelled:
                foreach (var (task, failure) in _failures.ToArray()) FailedForGood(task, failure.Run);
                var result = new BuildResult
                {
                    BuildRequestId = buildRequestId,
                    Status = request.Status,
                    JobRuns = _jobRuns,
                    AlreadyAvailable = _alreadyAvailable,
                    Delegated = _delegated.Count,
                    Message = request.Message,
                };
                result.Requested.AddRange(_requested);
                result.FailedPartitions.AddRange(_partitions.Where(p => p.Value is PartitionStatus.PartitionFailed or PartitionStatus.PartitionCancelled)
                    .Select(p => p.Key).Order(StringComparer.Ordinal));
                Result = result;
                break;
        }
    }

    private void OnJob(JobEvent job, long timestamp)
    {
        var targets = job.TargetPartitions.Select(p => p.Str).ToArray();
        var task = targets.FirstOrDefault() ?? "";
        _tasks.Add(task);
        var scheduled = _scheduled.GetValueOrDefault(job.JobRunId);
        void Run(BuildProgressKind kind, Action<BuildProgress>? details = null) => Report(kind, job.JobLabel?.Label ?? "", targets, p =>
        {
            p.JobRunId = job.JobRunId;
            p.Attempt = scheduled?.Attempt ?? job.Attempt;
            p.LogPath = scheduled?.LogPath ?? job.LogPath;
            p.ExitCode = job.ExitCode;
            details?.Invoke(p);
        });
        switch (job.Status)
        {
            case JobStatus.JobScheduled:
                _scheduled[job.JobRunId] = job;
                if (_failures.Remove(task, out var failure))
                    Report(BuildProgressKind.JobRetrying, failure.Run.JobLabel?.Label ?? "", targets, p =>
                    {
                        p.JobRunId = failure.Run.JobRunId;
                        p.Attempt = failure.Run.Attempt;
                        p.LogPath = failure.Run.LogPath;
                        p.ExitCode = failure.Run.ExitCode;
                        p.Reason = failure.Run.Message;
                        p.RetryDelaySeconds = Math.Max(0, timestamp - failure.At) / 1e9;
                    });
                break;
            case JobStatus.JobRunning:
                _jobRuns++;
                _running.Add(job.JobRunId);
                Run(BuildProgressKind.JobStarted);
                break;
            case JobStatus.JobCompleted:
                _running.Remove(job.JobRunId);
                _done++;
                Run(BuildProgressKind.JobSucceeded, p => p.DurationSeconds = job.DurationMs / 1000.0);
                break;
            case JobStatus.JobFailed:
                _running.Remove(job.JobRunId);
                _failures[task] = (scheduled is null ? job : Merged(scheduled, job), timestamp);
                break;
            case JobStatus.JobMissingDeps:
                _running.Remove(job.JobRunId);
                Run(BuildProgressKind.JobMissingDeps, p => p.MissingDeps.AddRange(job.MissingDeps.SelectMany(m => m.Missing).Select(r => r.Str).Distinct()));
                break;
            case JobStatus.JobCancelled:
                _running.Remove(job.JobRunId);
                Run(BuildProgressKind.JobCancelled);
                break;
        }
    }

    private void OnPartition(PartitionEvent partition)
    {
        var partitionRef = partition.PartitionRef.Str;
        _partitions[partitionRef] = partition.Status;
        if (partition.JobRunId.Length > 0) return;
        if (partition.Status == PartitionStatus.PartitionAvailable)
        {
            if (_delegated.Contains(partitionRef))
            {
                _done++;
                Report(BuildProgressKind.DelegationFinished, JobOf(partitionRef), [partitionRef]);
            }
            else if (_requested.Contains(partitionRef)) _alreadyAvailable++;
        }
        else if (partition.Status == PartitionStatus.PartitionFailed && _failedTasks.Add(partitionRef))
        {
            // Not built because something it needs failed: no run of its own.
            Report(BuildProgressKind.JobFailed, JobOf(partitionRef), [partitionRef], p => p.Reason = partition.Message);
        }
    }

    private void FailedForGood(string task, JobEvent run)
    {
        _failures.Remove(task);
        _failedTasks.Add(task);
        Report(BuildProgressKind.JobFailed, run.JobLabel?.Label ?? "", run.TargetPartitions.Select(p => p.Str).ToArray(), p =>
        {
            p.JobRunId = run.JobRunId;
            p.Attempt = run.Attempt;
            p.LogPath = run.LogPath;
            p.ExitCode = run.ExitCode;
            p.Reason = run.Message;
        });
    }

    // The end of a run with what its SCHEDULED event said (attempt and log), which the end may not repeat.
    private static JobEvent Merged(JobEvent scheduled, JobEvent ended)
    {
        var merged = ended.Clone();
        if (merged.Attempt == 0) merged.Attempt = scheduled.Attempt;
        if (merged.LogPath.Length == 0) merged.LogPath = scheduled.LogPath;
        return merged;
    }

    private string JobOf(string partitionRef) => _jobOf.GetValueOrDefault(partitionRef, "");

    private void Report(BuildProgressKind kind, string job, IReadOnlyList<string> partitions, Action<BuildProgress>? details = null)
    {
        var p = new BuildProgress { Kind = kind, Job = job };
        p.Partitions.AddRange(partitions);
        details?.Invoke(p);
        p.Running = _running.Count;
        p.Done = _done;
        p.Failed = _failedTasks.Count;
        p.Remaining = Math.Max(0, _tasks.Count - p.Done - p.Failed - p.Running);
        progress.Report(p);
    }
}
