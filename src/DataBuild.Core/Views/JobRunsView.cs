using System.Runtime.InteropServices;
using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

/// <summary>What is known about one job run, folded from its job events.</summary>
public sealed class JobRunInfo(string jobRunId, string jobLabel, string buildRequestId)
{
    public string JobRunId { get; } = jobRunId;
    public string JobLabel { get; } = jobLabel;
    public string BuildRequestId { get; } = buildRequestId;
    public JobStatus Status { get; internal set; }
    public IReadOnlyList<string> Targets { get; internal set; } = [];
    public JobConfig? Config { get; internal set; }
    public int Attempt { get; internal set; }
    public int ExitCode { get; internal set; }
    public long DurationMs { get; internal set; }
    public string LogPath { get; internal set; } = "";
    public string JobVersion { get; internal set; } = "";
    /// <summary>The job's code identity when it ran; empty for a run recorded before code keys were.</summary>
    public string CodeKey { get; internal set; } = "";
    public RunOwner? Owner { get; internal set; }
    /// <summary>Where another system runs it (its <c>RUNNING</c> event's submission: Slurm's job id); null for a local run.</summary>
    public ExecutorSubmission? Submission { get; internal set; }
    public string Message { get; internal set; } = "";
    public IReadOnlyList<MissingDeps> MissingDeps { get; internal set; } = [];
    /// <summary>Unix nanoseconds of the first event of the run.</summary>
    public long ScheduledAt { get; internal set; }
    public long StartedAt { get; internal set; }
    public long FinishedAt { get; internal set; }
    /// <summary>The log index of the run's first event: the order runs are listed in.</summary>
    public long FirstIndex { get; internal set; }
    public long LastIndex { get; internal set; }

    // Kept in a history chunk of the snapshot (JobRunsView.History.cs), so never written there again.
    internal bool InHistory { get; set; }
}

/// <summary>
/// Reducer: every job run by id, in the order they were first seen. Runs of finished requests that no partition
/// names any more are kept apart by the snapshot (its history) and read only by the members that list them all
/// (<see cref="All"/>, <see cref="OfRequest"/>, <see cref="CompletedReadersOf"/>, a <see cref="Get"/> of one not
/// in memory): a build reads only the runs that partitions and live requests name.
/// </summary>
public sealed partial class JobRunsView
{
    private readonly Dictionary<string, JobRunInfo> _runs = new(StringComparer.Ordinal);
    private readonly List<JobRunInfo> _ordered = [];
    private readonly Dictionary<string, List<JobRunInfo>> _readers = new(StringComparer.Ordinal);
    private readonly HashSet<JobRunInfo> _live = new(ReferenceEqualityComparer.Instance);
    private JobRunInfo? _last;

    /// <summary>The pool of the refs, ids and labels the runs keep; <see cref="BuildEventViews"/> shares it with its other views.</summary>
    internal StringPool Strings { get; init; } = new();

    /// <summary>The runs in memory (those the snapshot kept at hand and those applied since), without reading the history.</summary>
    public IReadOnlyList<JobRunInfo> Loaded => _ordered;

    public IReadOnlyList<JobRunInfo> All
    {
        get
        {
            ReadHistory();
            return _ordered;
        }
    }

    public JobRunInfo? Get(string jobRunId) =>
        _runs.TryGetValue(jobRunId, out var run) ? run : ReadHistory() ? _runs.GetValueOrDefault(jobRunId) : null;

    /// <summary>The runs not yet finished, in the order first seen: never in the history, so listing them reads none.</summary>
    public IReadOnlyList<JobRunInfo> Live => _live.Count == 0 ? [] : _live.OrderBy(r => r.FirstIndex).ToArray();

    /// <summary>The runs of build request <paramref name="buildRequestId"/>, in the order first seen.</summary>
    public IReadOnlyList<JobRunInfo> OfRequest(string buildRequestId) => All.Where(r => r.BuildRequestId == buildRequestId).ToArray();

    /// <summary>The completed runs whose config read <paramref name="partitionRef"/>, in the order they completed: an index, so lineage never scans every run.</summary>
    public IReadOnlyList<JobRunInfo> CompletedReadersOf(string partitionRef)
    {
        ReadHistory();
        return _readers.TryGetValue(partitionRef, out var runs) ? runs : [];
    }

    internal void Apply(StoredEvent stored)
    {
        var e = stored.Event;
        if (e.EventTypeCase != BuildEvent.EventTypeOneofCase.JobEvent) return;
        var j = e.JobEvent;
        // A run's events come close together, often back to back: the last run needs no lookup.
        if (_last is not null && _last.JobRunId == j.JobRunId)
        {
            Fold(_last, stored, j);
            IndexReads(_last, j.Status);
            return;
        }
        // One lookup, inserting when absent: the run's first event creates it.
        ref var run = ref CollectionsMarshal.GetValueRefOrAddDefault(_runs, j.JobRunId, out var known);
        if (!known)
        {
            // A build's runs come one after another: the last run's request is usually this one's.
            var requestId = _last is null ? Strings.Intern(e.BuildRequestId) : Strings.Intern(e.BuildRequestId, _last.BuildRequestId);
            // Its id is the key's instance, which the catalog takes (HeldId): the pool need not hold every run's id too.
            run = new JobRunInfo(j.JobRunId, Strings.Intern(j.JobLabel?.Label ?? ""), requestId)
            {
                ScheduledAt = e.Timestamp,
                FirstIndex = stored.Index,
                Targets = Strings.Intern(j.TargetPartitions),
            };
            _ordered.Add(run);
        }
        _last = run!;
        Fold(_last, stored, j);
        IndexReads(_last, j.Status);
    }

    /// <summary>The instance of <paramref name="jobRunId"/> its run in memory holds, so a partition naming the run keeps no copy of its own; null for another.</summary>
    internal string? HeldId(string jobRunId) =>
        _last?.JobRunId == jobRunId ? _last.JobRunId : _runs.TryGetValue(jobRunId, out var run) ? run.JobRunId : null;

    // A run is a reader of its inputs once it has completed, with the config it really ran.
    private void IndexReads(JobRunInfo run, JobStatus status)
    {
        if (status != JobStatus.JobCompleted || run.Config is null) return;
        foreach (var input in run.Config.Inputs)
        {
            if (input.PartitionRef?.Str is not { } partition) continue;
            // The key is kept, so pooled; the pool is asked only for a ref read for the first time.
            if (!_readers.TryGetValue(partition, out var readers)) _readers.Add(Strings.Intern(partition), readers = []);
            if (readers.Count == 0 || readers[^1] != run) readers.Add(run);
        }
    }


    private void Fold(JobRunInfo run, StoredEvent stored, JobEvent j)
    {
        var e = stored.Event;
        if (StateMachines.IsTerminal(j.Status)) _live.Remove(run);
        else _live.Add(run);
        run.Status = j.Status;
        run.LastIndex = stored.Index;
        if (j.Config is not null) run.Config = j.Config;
        // The completed run's manifest holds the config as it really ran, with inputs discovered at run time.
        if (j.Manifests.Count > 0 && j.Manifests[0].Task?.Config is { } ran) run.Config = ran;
        if (j.Attempt != 0) run.Attempt = j.Attempt;
        if (j.JobVersion.Length > 0) run.JobVersion = j.JobVersion;
        if (j.CodeKey.Length > 0) run.CodeKey = j.CodeKey;
        if (j.LogPath.Length > 0) run.LogPath = j.LogPath;
        if (j.Message.Length > 0) run.Message = j.Message;
        if (j.Owner is not null) run.Owner = j.Owner;
        if (j.Submission is not null) run.Submission = j.Submission;
        if (j.Status == JobStatus.JobRunning) run.StartedAt = e.Timestamp;
        if (StateMachines.IsTerminal(j.Status))
        {
            run.FinishedAt = e.Timestamp;
            run.ExitCode = j.ExitCode;
            run.DurationMs = j.DurationMs;
            if (j.MissingDeps.Count > 0) run.MissingDeps = j.MissingDeps.ToArray();
        }
    }
}
