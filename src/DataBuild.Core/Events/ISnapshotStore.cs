namespace DataBuild.Events;

/// <summary>
/// A stored <see cref="Proto.ViewSnapshot"/>: its protobuf bytes, and the two facts of its header a store keeps
/// beside them so it can order snapshots without parsing them. <see cref="History"/> is the history chunk written
/// with it (the job runs it retired), null when it retired none.
/// </summary>
public sealed record StoredSnapshot(long CoveredIndex, int ViewSchemaVersion, byte[] Payload)
{
    public HistoryChunk? History { get; init; }
}

/// <summary>A history chunk: a <see cref="Proto.JobRunHistory"/>'s bytes under its unique id (letters, digits and '-').</summary>
public sealed record HistoryChunk(string Id, byte[] Payload);

/// <summary>
/// Where a backend keeps the snapshot of the views beside its log (docs/event-log.md#snapshots): a table of the
/// same database, a file beside the log's file. A capability of a backend (<see cref="IEventStorage.Snapshots"/>);
/// the model (what a snapshot holds, when one is usable) is Core's, the store only keeps bytes. A snapshot is a
/// cache of what the log implies: a store may lose it at any time and no answer changes.
/// </summary>
public interface ISnapshotStore
{
    /// <summary>The snapshot stored, or null when there is none.</summary>
    StoredSnapshot? ReadSnapshot();

    /// <summary>
    /// Stores <paramref name="snapshot"/> in place of the one stored, unless that one covers as far or further;
    /// returns whether it did. Atomic: a reader sees the old snapshot or the new one, never a mix, and a crash
    /// while writing leaves the old one. Safe when several processes write at once: the one covering furthest stays.
    /// When it stores the snapshot it stores its <see cref="StoredSnapshot.History"/> too, before or with it (never
    /// only the snapshot). History chunks are never replaced nor removed with a snapshot: later snapshots list them,
    /// and a process still holding an older snapshot's list may list them again.
    /// </summary>
    bool WriteSnapshot(StoredSnapshot snapshot);

    /// <summary>The payload of history chunk <paramref name="chunkId"/>, or null when there is none.</summary>
    byte[]? ReadHistory(string chunkId);

    /// <summary>Removes the stored snapshot, if any, whatever the log (as losing it by hand would); its history chunks stay.</summary>
    void DeleteSnapshot();

    /// <summary>
    /// Removes the stored snapshot unless the log was compacted (without it a compacted log cannot be read): returns
    /// null when it removed it (or there was none), the log's <see cref="CompactionMark"/> when it kept it. It takes
    /// the lock a compaction takes (<see cref="IEventCompaction.DropBefore"/>), so a compaction in progress and this
    /// exclude each other: one ends before the other looks.
    /// </summary>
    CompactionMark? DeleteSnapshotUnlessCompacted();
}
