using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Events;

/// <summary>
/// Append-only storage of build events (docs/event-log.md). Indexes are dense, strictly increasing and in
/// commit order, so a reader polling "since N" never misses an event. Implementations are safe to use
/// from several threads and several processes at once.
/// </summary>
public interface IEventStorage : IDisposable
{
    /// <summary>A short name for messages, e.g. <c>sqlite:/data/bel.sqlite</c>.</summary>
    string Description { get; }

    /// <summary>
    /// Appends <paramref name="events"/> in one atomic batch and returns each event's index, in order.
    /// An event whose <c>event_id</c> is already stored is not written again: its existing index is
    /// returned. <paramref name="guard"/>, when given, runs while the storage holds its exclusive write
    /// lock, after duplicates are known and before anything is written; it sees the events that will be
    /// written and can read the log as it is at that moment. If it throws, nothing is written and the
    /// exception propagates.
    /// </summary>
    IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events, AppendGuard? guard = null);

    /// <summary>Events with index greater than <paramref name="sinceIndex"/> matching <paramref name="filter"/>, at most <paramref name="limit"/>.</summary>
    EventPage List(long sinceIndex, EventFilter filter, int limit);

    /// <summary>
    /// Completes when an event after <paramref name="sinceIndex"/> is committed (at once when one already
    /// is) or when <paramref name="timeout"/> passes, whichever comes first. Backends notice commits their own
    /// way (PostgreSQL is notified, the others poll), and a notification can be lost with a dropped
    /// connection, leaving the wait to run to its timeout. So a follower lists from its cursor after every
    /// return, whatever ended the wait, and waits with a bounded timeout: it can be late, never miss an event
    /// (<see cref="EventFollowing.FollowAsync"/> does both).
    /// </summary>
    Task WaitForEventsAsync(long sinceIndex, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Where this backend keeps the snapshot of the views beside the log; null when it keeps none (every reader folds the whole log).</summary>
    ISnapshotStore? Snapshots => null;

    /// <summary>How this backend drops its oldest events (docs/event-log.md#compaction); null when it does not support compaction.</summary>
    IEventCompaction? Compaction => null;

    /// <summary>How this backend rewrites its many data files into few (<c>databuild compact</c> without <c>--before</c>); null when it keeps one file or database.</summary>
    IFileCompaction? FileCompaction => null;

    /// <summary>Where this backend keeps copies of job-run logs (docs/event-log.md#run-logs); null when logs are only files.</summary>
    IRunLogStore? RunLogs => null;
}

/// <summary>
/// Runs inside <see cref="IEventStorage.Append"/> under the write lock. <paramref name="newEvents"/> are the
/// events about to be written (duplicates removed). <paramref name="readSince"/> lists the committed log
/// after an index, unfiltered, within the same lock, so a validator can catch up without racing writers.
/// </summary>
public delegate void AppendGuard(IReadOnlyList<BuildEvent> newEvents, Func<long, int, EventPage> readSince);
