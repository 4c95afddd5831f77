using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

/// <summary>
/// The job runs' part of one snapshot: the runs kept in it, and those it sets apart in its history chunk
/// (<see cref="JobRunHistory"/>), null when it sets none apart.
/// </summary>
internal sealed record JobRunsPart(JobRunsSnapshot Current, JobRunHistory? Retired, IReadOnlyList<JobRunInfo> Retiring);

// The job runs' part of a ViewSnapshot (docs/event-log.md#snapshots). A run is retired once it ended, its request
// finished and no partition names it: nothing a build reads needs it again, so a snapshot moves it to a history
// chunk of its own, written beside the snapshot and read only when every run is listed. Retired stays retired.
public sealed partial class JobRunsView
{
    internal JobRunsPart ToSnapshot(SnapshotStrings strings, Func<JobRunInfo, bool> retired, long coveredIndex)
    {
        var current = new JobRunsSnapshot();
        current.HistoryChunks.AddRange(_historyChunks);
        var history = new JobRunHistory { ChunkId = $"{coveredIndex}-{Guid.NewGuid():N}" };
        var historyStrings = SnapshotStrings.ForWriting(history.Strings);
        var retiring = new List<JobRunInfo>();
        foreach (var run in _ordered)
        {
            if (run.InHistory) continue;
            if (retired(run))
            {
                history.Runs.Add(ToItem(run, historyStrings));
                retiring.Add(run);
            }
            else current.Runs.Add(ToItem(run, strings));
        }
        if (retiring.Count == 0) return new JobRunsPart(current, null, retiring);
        current.HistoryChunks.Add(history.ChunkId);
        return new JobRunsPart(current, history, retiring);
    }

    /// <summary>Notes that <paramref name="part"/> was stored: its retired runs are in its history chunk now, which later snapshots list.</summary>
    internal void Written(JobRunsPart part)
    {
        foreach (var run in part.Retiring) run.InHistory = true;
        if (part.Retired is { } history) _historyChunks.Add(history.ChunkId);
    }

    internal void Restore(JobRunsSnapshot snapshot, SnapshotStrings strings, StoredRunHistory? history)
    {
        _runs.Clear();
        _ordered.Clear();
        _readers.Clear();
        _live.Clear();
        _last = null;
        _historyChunks.Clear();
        _historyChunks.AddRange(snapshot.HistoryChunks);
        _history = _historyChunks.Count > 0 ? history : null;
        _runs.EnsureCapacity(snapshot.Runs.Count);
        foreach (var item in snapshot.Runs)
        {
            var run = FromItem(item, strings);
            if (!_runs.TryAdd(run.JobRunId, run)) throw new InvalidDataException($"job run {run.JobRunId} is in the snapshot twice");
            _ordered.Add(run);
            if (!StateMachines.IsTerminal(run.Status)) _live.Add(run);
        }
        IndexAllReads();
    }

    private static JobRunSnapshot ToItem(JobRunInfo run, SnapshotStrings strings)
    {
        var item = new JobRunSnapshot
        {
            JobRunId = strings.Id(run.JobRunId),
            JobLabel = strings.Id(run.JobLabel),
            BuildRequestId = strings.Id(run.BuildRequestId),
            Status = run.Status,
            Config = run.Config,
            Attempt = run.Attempt,
            ExitCode = run.ExitCode,
            DurationMs = run.DurationMs,
            LogPath = run.LogPath,
            JobVersion = strings.Id(run.JobVersion),
            Owner = run.Owner,
            Message = run.Message,
            ScheduledAt = run.ScheduledAt,
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt,
            FirstIndex = run.FirstIndex,
            LastIndex = run.LastIndex,
            CodeKey = strings.Id(run.CodeKey),
            Submission = run.Submission,
        };
        strings.AddAll(item.Targets, run.Targets);
        item.MissingDeps.AddRange(run.MissingDeps);
        return item;
    }

    private static JobRunInfo FromItem(JobRunSnapshot item, SnapshotStrings strings) =>
        new(strings[item.JobRunId], strings[item.JobLabel], strings[item.BuildRequestId])
        {
            Status = item.Status,
            Targets = strings.All(item.Targets),
            Config = item.Config,
            Attempt = item.Attempt,
            ExitCode = item.ExitCode,
            DurationMs = item.DurationMs,
            LogPath = item.LogPath,
            JobVersion = strings[item.JobVersion],
            Owner = item.Owner,
            Message = item.Message,
            MissingDeps = item.MissingDeps.Count == 0 ? [] : item.MissingDeps.ToArray(),
            ScheduledAt = item.ScheduledAt,
            StartedAt = item.StartedAt,
            FinishedAt = item.FinishedAt,
            FirstIndex = item.FirstIndex,
            LastIndex = item.LastIndex,
            CodeKey = strings[item.CodeKey],
            Submission = item.Submission,
        };
}
