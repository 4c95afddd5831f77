namespace DataBuild.Events;

/// <summary>
/// Where and up to which index a log was compacted: its events before <see cref="FirstRetainedIndex"/> are gone from
/// the live log (written to <see cref="Archive"/>, or discarded when it is null) and the view snapshot holds their effect.
/// </summary>
public sealed record CompactionMark(long FirstRetainedIndex, string? Archive)
{
    /// <summary>"archived in X" or "discarded", for messages.</summary>
    public string Fate => Archive is null ? "discarded" : $"archived in {Archive}";
}

/// <summary>
/// Retention (docs/event-log.md#compaction): a backend whose oldest events may be dropped from the live log. A
/// capability a backend may lack (<see cref="IEventStorage.Compaction"/> null): such a log is never compacted. The
/// policy (which index, the snapshot that must cover it, the archive) is Core's (<see cref="LogCompaction"/>); the
/// backend only drops rows and keeps the mark. A compacted backend's <see cref="IEventStorage.List"/> and
/// <see cref="IEventStorage.WaitForEventsAsync"/> throw <see cref="EventsCompactedException"/> for a since-index
/// below <see cref="CompactionMark.FirstRetainedIndex"/> - 1, never a page with a silent gap.
/// </summary>
public interface IEventCompaction
{
    /// <summary>The mark of the last compaction, or null when the log was never compacted.</summary>
    CompactionMark? ReadMark();

    /// <summary>
    /// Drops every event with an index below <paramref name="firstRetainedIndex"/> and records the mark, atomically
    /// (a reader sees the log before or after, and a crash leaves one of the two), without blocking appends for longer
    /// than the drop itself. Throws <see cref="InvalidOperationException"/>, dropping nothing, when the log's first
    /// retained index is no longer <paramref name="expectedFirstRetainedIndex"/> (another compaction ran meanwhile) or
    /// when <paramref name="firstRetainedIndex"/> is past the last committed event, or when the stored snapshot no longer covers
    /// <paramref name="firstRetainedIndex"/> (deleted meanwhile: checked under the same lock as
    /// <see cref="ISnapshotStore.DeleteSnapshotUnlessCompacted"/>).
    /// </summary>
    void DropBefore(long firstRetainedIndex, long expectedFirstRetainedIndex, string? archive);
}
