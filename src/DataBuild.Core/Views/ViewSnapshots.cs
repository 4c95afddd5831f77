using DataBuild.Events;
using DataBuild.Proto;
using Google.Protobuf;

namespace DataBuild.Views;

/// <summary>
/// Snapshots of the views and the validator (docs/event-log.md#snapshots): the one place that says which part
/// of a <see cref="ViewSnapshot"/> each view is. A view with new state adds it to its own part (its
/// <c>*.Snapshot.cs</c> file beside it, and its message in databuild.proto), a new view adds a line to
/// <see cref="Capture"/> and to <see cref="TryRestore"/>, and either bumps <see cref="ViewSchema.CurrentVersion"/>.
/// </summary>
public static class ViewSnapshots
{
    /// <summary>
    /// Events past the snapshot after which the end of a build or a reconcile pass writes a new one: folding that
    /// many costs a command a few tens of milliseconds; writing a snapshot costs about as much as folding the
    /// events it saves for a log of 10,000 of them.
    /// </summary>
    public const int DefaultThreshold = 5_000;

    /// <summary>
    /// Writes a snapshot of <paramref name="views"/> (brought up to the end of the log) when the log has grown
    /// by <paramref name="threshold"/> events past the snapshot readers start from. Returns the snapshot's index, or
    /// null when none was due or written. Never fails the caller: a snapshot is a shortcut, and a problem writing
    /// one is a warning.
    /// </summary>
    public static long? WriteIfDue(BuildEventLog log, BuildEventViews views, int threshold = DefaultThreshold)
    {
        if (log.Storage.Snapshots is null) return null;
        views.Refresh(log);
        return views.Cursor - (log.Snapshot?.CoveredIndex ?? 0) >= threshold ? TryWrite(log, views) : null;
    }

    /// <summary>
    /// Writes a snapshot of <paramref name="views"/> at the end of the log now; the index it covers, or null when the
    /// log is empty or another writer's covers as far. With <paramref name="checkHistory"/> it reads the job-run history
    /// the views started from first, so one that cannot be read (chunks deleted by hand) is replaced by a whole new one.
    /// </summary>
    public static long? Write(BuildEventLog log, BuildEventViews views, bool checkHistory = true)
    {
        var store = log.Storage.Snapshots ?? throw new NotSupportedException($"the BEL {log.Storage.Description} keeps no snapshots");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            views.Refresh(log);
            if (checkHistory) _ = views.Runs.All;
            if (views.Cursor == 0) return null;
            if (CaptureParts(log, views) is not var (snapshot, runs)) continue;
            var history = runs.Retired is { } retired ? new HistoryChunk(retired.ChunkId, retired.ToByteArray()) : null;
            if (!store.WriteSnapshot(new StoredSnapshot(snapshot.CoveredIndex, snapshot.ViewSchemaVersion, snapshot.ToByteArray()) { History = history })) return null;
            views.Runs.Written(runs);
            log.Adopt(snapshot);
            return snapshot.CoveredIndex;
        }
        return null;
    }

    /// <summary>
    /// The snapshot of <paramref name="views"/> and of the log's validator at <see cref="BuildEventViews.Cursor"/>,
    /// its retired job runs left out (they go to its history chunk); null when the validator has moved past the views
    /// (another thread appended): refresh and try again.
    /// </summary>
    public static ViewSnapshot? Capture(BuildEventLog log, BuildEventViews views) => CaptureParts(log, views)?.Snapshot;

    private static (ViewSnapshot Snapshot, JobRunsPart Runs)? CaptureParts(BuildEventLog log, BuildEventViews views)
    {
        var covered = log.List(views.Cursor - 1, new EventFilter(), 1).Events.FirstOrDefault(e => e.Index == views.Cursor);
        if (covered is null) return null;
        var snapshot = new ViewSnapshot
        {
            ViewSchemaVersion = ViewSchema.CurrentVersion,
            CoveredIndex = views.Cursor,
            CoveredEventId = covered.Event.EventId,
        };
        var strings = SnapshotStrings.ForWriting(snapshot.Strings);
        if (!log.CaptureValidator(snapshot, strings, views.Cursor)) return null;
        snapshot.Catalog = views.Catalog.ToSnapshot(strings);
        var named = views.Catalog.NamedRuns();
        var runs = views.Runs.ToSnapshot(strings, run => StateMachines.IsTerminal(run.Status) && !named.Contains(run.JobRunId)
            && views.Requests.Get(run.BuildRequestId) is { IsFinished: true }, snapshot.CoveredIndex);
        snapshot.JobRuns = runs.Current;
        snapshot.BuildRequests = views.Requests.ToSnapshot(strings);
        snapshot.Wants = views.Wants.ToSnapshot(strings);
        snapshot.Replayed.AddRange(views.Replayed);
        return (snapshot, runs);
    }

    /// <summary>
    /// Puts <paramref name="views"/> (new, nothing applied yet) in the state <paramref name="snapshot"/> holds;
    /// false, with a warning on <paramref name="log"/> and the views left empty, when a part of it does not hold together.
    /// </summary>
    internal static bool TryRestore(BuildEventViews views, ViewSnapshot snapshot, BuildEventLog log)
    {
        try
        {
            var strings = SnapshotStrings.ForReading(snapshot.Strings, views.Runs.Strings);
            var skipped = snapshot.Skipped.Select(s => s.Index).ToHashSet();
            views.Runs.Restore(snapshot.JobRuns ?? new JobRunsSnapshot(), strings, new StoredRunHistory(log, snapshot.CoveredIndex, skipped));
            views.Catalog.Restore(snapshot.Catalog ?? new CatalogSnapshot(), strings);
            views.Requests.Restore(snapshot.BuildRequests ?? new BuildRequestsSnapshot(), strings);
            views.Wants.Restore(snapshot.Wants ?? new WantsSnapshot(), strings);
            foreach (var stored in snapshot.Replayed) views.Replay(stored);
            return true;
        }
        catch (InvalidDataException e)
        {
            views.Runs.Restore(new JobRunsSnapshot(), SnapshotStrings.ForReading(EmptyTable), null);
            views.Catalog.Restore(new CatalogSnapshot(), SnapshotStrings.ForReading(EmptyTable));
            views.Requests.Restore(new BuildRequestsSnapshot(), SnapshotStrings.ForReading(EmptyTable));
            views.Wants.Restore(new WantsSnapshot(), SnapshotStrings.ForReading(EmptyTable));
            log.Warn($"ignoring the view snapshot of {log.Storage.Description} at event {snapshot.CoveredIndex}: it is damaged ({e.Message.TrimEnd('.')}); reading the whole log instead");
            return false;
        }
    }

    private static readonly Google.Protobuf.Collections.RepeatedField<string> EmptyTable = [""];

    private static long? TryWrite(BuildEventLog log, BuildEventViews views)
    {
        try
        {
            return Write(log, views, checkHistory: false);
        }
        catch (Exception e) when (e is IOException or System.Data.Common.DbException or UnauthorizedAccessException or TimeoutException)
        {
            log.Warn($"could not write a view snapshot to {log.Storage.Description}: {e.Message.TrimEnd('.')}");
            return null;
        }
    }
}
