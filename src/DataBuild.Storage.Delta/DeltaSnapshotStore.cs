using DataBuild.Events;
using DataBuild.Events.Storage;

namespace DataBuild.Storage.Delta;

/// <summary>
/// The view snapshot of a <c>delta:</c> log: <c>_databuild/views.snapshot</c> beside the table's files, kept
/// as the <c>file:</c> log keeps its own (<see cref="SnapshotFile"/>: replaced whole by rename, checksummed).
/// It is not part of the Delta table, which other engines read.
/// </summary>
internal sealed class DeltaSnapshotStore(string sideFolder, TimeSpan lockTimeout) : ISnapshotStore
{
    private readonly SnapshotFile _file = new(Path.Combine(sideFolder, "views"), lockTimeout);

    public StoredSnapshot? ReadSnapshot() => _file.ReadSnapshot();

    public bool WriteSnapshot(StoredSnapshot snapshot)
    {
        Directory.CreateDirectory(sideFolder);
        return _file.WriteSnapshot(snapshot);
    }

    public byte[]? ReadHistory(string chunkId) => _file.ReadHistory(chunkId);

    public void DeleteSnapshot()
    {
        if (Directory.Exists(sideFolder)) _file.DeleteSnapshot();
    }

    // A delta: log is never compacted (it keeps every event).
    public CompactionMark? DeleteSnapshotUnlessCompacted()
    {
        DeleteSnapshot();
        return null;
    }
}
