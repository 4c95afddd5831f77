using DataBuild.Events;
using DataBuild.Execution;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// The events of one build request, and the state of its partitions as it has recorded them: every partition
/// event goes through here, so the build always knows what it last said of each partition.
/// </summary>
internal sealed class BuildRecorder(string id, GroupCommit writes, IReadOnlyDictionary<string, JobIdentity> jobs)
{
    private readonly Dictionary<string, PartitionStatus> _partitions = new(StringComparer.Ordinal);

    /// <summary>Requested partitions found available already.</summary>
    public int AlreadyAvailable { get; private set; }

    /// <summary>Partitions this build waited on another build for.</summary>
    public int Delegated { get; private set; }

    public PartitionStatus StatusOf(string partitionRef) => _partitions.GetValueOrDefault(partitionRef);

    public BuildEvent SetPartition(string partitionRef, PartitionStatus status, string jobRunId = "", string message = "")
    {
        _partitions[partitionRef] = status;
        return NewEvent.Partition(id, partitionRef, status, jobRunId, message);
    }

    public BuildEvent FoundAvailable(string partitionRef)
    {
        AlreadyAvailable++;
        return SetPartition(partitionRef, PartitionStatus.PartitionAvailable, message: "already available");
    }

    /// <summary>The delegation of <paramref name="partitionRef"/> to the build that owns it, or null when already delegated.</summary>
    public BuildEvent? Delegate(string partitionRef, PartitionState owner)
    {
        if (StatusOf(partitionRef) == PartitionStatus.PartitionDelegated) return null;
        _partitions[partitionRef] = PartitionStatus.PartitionDelegated;
        Delegated++;
        return NewEvent.Delegation(id, partitionRef, owner.BuildRequestId, owner.JobRunId, $"build request {owner.BuildRequestId} is building it");
    }

    /// <summary>
    /// The events that start a run of the task, its outputs BUILDING from here until <see cref="Undo"/>; RUNNING too
    /// unless <paramref name="deferRunning"/> (an executor's submission writes it, <see cref="Running"/>).
    /// </summary>
    public RunStart Start(AnalyzedTask task, int attempt, string logDirectory, bool deferRunning = false)
    {
        var runId = Guid.CreateVersion7().ToString();
        var logPath = JobRunLogs.PathOf(logDirectory, runId);
        var events = new List<BuildEvent>
        {
            NewEvent.Job(id, runId, task.Job.Label, task.Outputs, JobStatus.JobScheduled, j =>
            {
                j.Config = task.Config;
                j.Attempt = attempt;
                j.JobVersion = task.Job.Version;
                j.CodeKey = jobs.GetValueOrDefault(task.Job.Label)?.CodeKey ?? "";
                j.LogPath = logPath;
            }),
        };
        var previous = new Dictionary<string, PartitionStatus>(StringComparer.Ordinal);
        foreach (var output in task.Outputs)
        {
            previous[output] = StatusOf(output);
            events.Add(SetPartition(output, PartitionStatus.PartitionBuilding, runId));
        }
        if (!deferRunning) events.Add(NewEvent.Job(id, runId, task.Job.Label, task.Outputs, JobStatus.JobRunning, j => j.Owner = Owners.Current));
        return new RunStart(task, runId, attempt, logPath, events, previous);
    }

    /// <summary>A run its executor accepted: RUNNING, with where it went.</summary>
    public BuildEvent Running(AnalyzedTask task, string runId, ExecutorSubmission submission) =>
        NewEvent.Job(id, runId, task.Job.Label, task.Outputs, JobStatus.JobRunning, j =>
        {
            j.Owner = Owners.Current;
            j.Submission = submission;
        });

    /// <summary>Forgets a start that was not written.</summary>
    public void Undo(RunStart start)
    {
        foreach (var (output, status) in start.PreviousStatuses) _partitions[output] = status;
    }

    /// <summary>Takes a start as written after all: its outputs are BUILDING.</summary>
    public void Redo(RunStart start)
    {
        foreach (var output in start.Task.Outputs) _partitions[output] = PartitionStatus.PartitionBuilding;
    }

    /// <summary>The events that end a run as its outcome says: the job run's end, then each output's new state.</summary>
    public List<BuildEvent> Ended(AnalyzedTask task, JobRunOutcome outcome, int attempt, string why)
    {
        var (jobStatus, partitionStatus) = outcome.Verdict switch
        {
            JobRunVerdict.Succeeded => (JobStatus.JobCompleted, PartitionStatus.PartitionAvailable),
            JobRunVerdict.MissingDeps => (JobStatus.JobMissingDeps, PartitionStatus.PartitionAnalyzed),
            JobRunVerdict.Cancelled => (JobStatus.JobCancelled, PartitionStatus.PartitionCancelled),
            _ => (JobStatus.JobFailed, PartitionStatus.PartitionFailed),
        };
        var events = new List<BuildEvent>
        {
            NewEvent.Job(id, outcome.JobRunId, task.Job.Label, task.Outputs, jobStatus, j =>
            {
                j.Message = why;
                j.ExitCode = outcome.Process.ExitCode;
                j.DurationMs = (long)outcome.Process.Duration.TotalMilliseconds;
                j.LogPath = outcome.LogPath;
                j.Attempt = attempt;
                if (jobStatus == JobStatus.JobCompleted) j.Manifests.Add(Manifest(task, outcome));
                if (jobStatus == JobStatus.JobMissingDeps) j.MissingDeps.AddRange(outcome.MissingDeps);
            }),
        };
        events.AddRange(task.Outputs.Select(output => SetPartition(output, partitionStatus, outcome.JobRunId, why)));
        return events;
    }

    /// <summary>Closes every partition of this request that is still in flight, so the request can end.</summary>
    public void MarkOpenPartitions(PartitionStatus status, string message)
    {
        var open = _partitions
            .Where(p => p.Value is PartitionStatus.PartitionRequested or PartitionStatus.PartitionAnalyzed or PartitionStatus.PartitionDelegated)
            .Select(p => p.Key)
            .ToArray();
        if (open.Length > 0) writes.Append(open.Select(p => SetPartition(p, status, message: message)).ToList());
    }

    /// <summary>How the request ended, with what it asked for, what it ran and the partitions it failed or cancelled (sorted).</summary>
    public BuildResult Result(BuildRequestStatus status, string message, IReadOnlyList<string> requested, int jobRuns)
    {
        var result = new BuildResult
        {
            BuildRequestId = id,
            Status = status,
            JobRuns = jobRuns,
            AlreadyAvailable = AlreadyAvailable,
            Delegated = Delegated,
            Message = message,
        };
        result.Requested.AddRange(requested);
        result.FailedPartitions.AddRange(_partitions.Where(p => p.Value is PartitionStatus.PartitionFailed or PartitionStatus.PartitionCancelled)
            .Select(p => p.Key).Order(StringComparer.Ordinal));
        return result;
    }

    private static PartitionManifest Manifest(AnalyzedTask task, JobRunOutcome outcome)
    {
        var manifest = new PartitionManifest
        {
            StartTime = outcome.Started.ToUnixTimeSeconds(),
            EndTime = (outcome.Started + outcome.Process.Duration).ToUnixTimeSeconds(),
            Task = new Proto.Task { Job = new JobLabel { Label = task.Job.Label }, Config = task.EffectiveConfig() },
        };
        manifest.Outputs.AddRange(task.Config.Outputs);
        return manifest;
    }
}

/// <summary>A run about to start: its id, attempt and log, and the events that start it.</summary>
internal sealed record RunStart(AnalyzedTask Task, string RunId, int Attempt, string LogPath, List<BuildEvent> Events,
    Dictionary<string, PartitionStatus> PreviousStatuses);
