using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

// The job runs' part of a ViewSnapshot (docs/event-log.md#snapshots): every run, in the order first seen.
public sealed partial class JobRunsView
{
    internal JobRunsSnapshot ToSnapshot(SnapshotStrings strings)
    {
        var snapshot = new JobRunsSnapshot();
        foreach (var run in _ordered)
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
                LastIndex = run.LastIndex,
                CodeKey = strings.Id(run.CodeKey),
                Submission = run.Submission,
            };
            strings.AddAll(item.Targets, run.Targets);
            item.MissingDeps.AddRange(run.MissingDeps);
            snapshot.Runs.Add(item);
        }
        return snapshot;
    }

    internal void Restore(JobRunsSnapshot snapshot, SnapshotStrings strings)
    {
        _runs.Clear();
        _ordered.Clear();
        _readers.Clear();
        _last = null;
        _runs.EnsureCapacity(snapshot.Runs.Count);
        foreach (var item in snapshot.Runs)
        {
            var run = new JobRunInfo(strings[item.JobRunId], strings[item.JobLabel], strings[item.BuildRequestId])
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
                LastIndex = item.LastIndex,
                CodeKey = strings[item.CodeKey],
                Submission = item.Submission,
            };
            if (!_runs.TryAdd(run.JobRunId, run)) throw new InvalidDataException($"job run {run.JobRunId} is in the snapshot twice");
            _ordered.Add(run);
            IndexReads(run, run.Status);
        }
    }
}
