namespace DataBuild.Events.Storage;

// The snapshot of a file log: the side file <log>.snapshot (SnapshotFile). Deleting it unless the log was compacted
// takes the append lock, as compaction does, so the two exclude each other.
public sealed partial class JsonLinesEventStorage : ISnapshotStore
{
    private readonly SnapshotFile _snapshotFile;

    /// <summary>The snapshot beside the log: <c>&lt;path&gt;.snapshot</c>.</summary>
    public ISnapshotStore Snapshots => this;

    public StoredSnapshot? ReadSnapshot() => _snapshotFile.ReadSnapshot();

    public bool WriteSnapshot(StoredSnapshot snapshot) => _snapshotFile.WriteSnapshot(snapshot);

    public byte[]? ReadHistory(string chunkId) => _snapshotFile.ReadHistory(chunkId);

    public void DeleteSnapshot() => _snapshotFile.DeleteSnapshot();

    public CompactionMark? DeleteSnapshotUnlessCompacted()
    {
        lock (_appendLock)
        {
            using var fileLock = ForWriting(() => FileLock.Acquire(LockPath, exclusive: true, _lockTimeout));
            // The first line's index is the mark (ReadMark would wait for the lock held here).
            using (var stream = OpenForRead())
            {
                if (stream is not null && FirstIndexOf(stream) is > 1 and var first)
                    lock (_state) return MarkOf(first);
            }
            _snapshotFile.DeleteSnapshot();
            return null;
        }
    }

    // Under the append lock: the index the stored snapshot covers, 0 when there is none or it is unreadable.
    private long SnapshotCovered()
    {
        try
        {
            return _snapshotFile.ReadSnapshot()?.CoveredIndex ?? 0;
        }
        catch (InvalidDataException)
        {
            return 0;
        }
    }
}
