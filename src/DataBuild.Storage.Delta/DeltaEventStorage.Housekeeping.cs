using DataBuild.Events;

namespace DataBuild.Storage.Delta;

/// <summary>What <see cref="DeltaEventStorage.Compact"/> did: how many data files it replaced by how many, at which version (-1: nothing to do).</summary>
public sealed record DeltaCompaction(int FilesRemoved, int FilesAdded, long Version);

/// <summary>What <see cref="DeltaEventStorage.CleanUp"/> deleted: staging files of unfinished commits and data files no version needs.</summary>
public sealed record DeltaCleanup(int StagingFilesDeleted, int DataFilesDeleted);

public sealed partial class DeltaEventStorage : IFileCompaction
{
    public IFileCompaction FileCompaction => this;

    /// <summary><c>databuild compact</c> on a Delta log: <see cref="Compact"/>, then <see cref="CleanUp"/> of what crashed writers left.</summary>
    public FileCompactionReport CompactFiles()
    {
        var compaction = Compact();
        var cleanup = CleanUp();
        return new FileCompactionReport(compaction.FilesRemoved, compaction.FilesAdded, compaction.Version, cleanup.StagingFilesDeleted + cleanup.DataFilesDeleted);
    }

    /// <summary>How old a file must be before <see cref="CleanUp"/> takes it for a crashed writer's leftover: 1 hour.</summary>
    public static readonly TimeSpan DefaultCleanupAge = TimeSpan.FromHours(1);

    /// <summary>
    /// Writes a checkpoint of the table at the latest version (<c>NNN.checkpoint.parquet</c>, then
    /// <c>_last_checkpoint</c>); returns that version, or -1 for a table with no commit. Appends do this every
    /// <see cref="CheckpointInterval"/> versions; readers then replay from it instead of from version 0.
    /// </summary>
    public long WriteCheckpoint()
    {
        lock (_state)
        {
            CatchUp();
            if (_table.Version < 0) return -1;
            var size = DeltaCheckpoint.Write(_log.CheckpointPath(_table.Version), _table);
            _log.WriteLastCheckpoint(_table.Version, size);
            return _table.Version;
        }
    }

    /// <summary>
    /// Rewrites runs of consecutive small data files into files of up to <paramref name="maxEventsPerFile"/>
    /// events, in one commit that removes the old files and adds the new ones with <c>dataChange=false</c>:
    /// no event, index or order changes, and a reader of any version sees the same log. Safe beside writers:
    /// appends only add files, so a lost race is retried at the next version; when another compaction removed
    /// one of the same files first, this one gives up and deletes what it wrote. The old files stay on disk for
    /// readers of earlier versions until <see cref="CleanUp"/> deletes them.
    /// </summary>
    public DeltaCompaction Compact(int maxEventsPerFile = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEventsPerFile);
        lock (_appendLock)
        {
            using var hostLock = _serializeWriters ? AcquireWriterLock() : null;
            DeltaFileRange[] files;
            lock (_state)
            {
                CatchUp();
                files = _files;
            }
            var groups = SmallFileRuns(files, maxEventsPerFile);
            if (groups.Count == 0) return new DeltaCompaction(0, 0, -1);
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var commit = new DeltaCommit
            {
                Removes = groups.SelectMany(g => g).Select(f => new DeltaRemove(f.Add.Path, now, DataChange: false, f.Add.Size)).ToList(),
                CommitInfo = DeltaEventTable.CommitInfo("OPTIMIZE", groups[0][0].MinIndex, groups[^1][^1].MaxIndex),
            };
            var committed = false;
            try
            {
                foreach (var group in groups)
                    commit.Adds.Add(DeltaDataFile.Write(Folder, group.SelectMany(f => DeltaDataFile.ReadRows(Folder, f.Add)).ToList(), dataChange: false));
                while (true)
                {
                    long version;
                    lock (_state)
                    {
                        CatchUp();
                        if (commit.Removes.Any(r => !_table.IsActive(r.Path))) return new DeltaCompaction(0, 0, -1);
                        version = _table.Version + 1;
                    }
                    if (_log.TryCommit(version, commit))
                    {
                        committed = true;
                        lock (_state) CatchUp();
                        if (version % CheckpointInterval == 0) WriteCheckpoint();
                        return new DeltaCompaction(commit.Removes.Count, commit.Adds.Count, version);
                    }
                }
            }
            finally
            {
                if (!committed) foreach (var add in commit.Adds) File.Delete(Path.Combine(Folder, add.Path));
            }
        }
    }

    /// <summary>
    /// Deletes what crashed writers leave behind, once it is older than <paramref name="minAge"/>
    /// (<see cref="DefaultCleanupAge"/> when null): staging and temporary files of unfinished commits and
    /// checkpoints, data files no commit added (a writer died between writing its file and committing it),
    /// and data files compaction removed that long ago. A file still in the table is never deleted; the age
    /// keeps a writer that is slow to commit from losing its file.
    /// </summary>
    public DeltaCleanup CleanUp(TimeSpan? minAge = null)
    {
        var cutoff = DateTime.UtcNow - (minAge ?? DefaultCleanupAge);
        if (!Directory.Exists(Folder)) return new DeltaCleanup(0, 0);
        lock (_appendLock)
        {
            using var hostLock = _serializeWriters ? AcquireWriterLock() : null;
            HashSet<string> active;
            Dictionary<string, long?> removed;
            lock (_state)
            {
                CatchUp();
                active = _table.ActiveFiles.Select(a => a.Path).ToHashSet(StringComparer.Ordinal);
                removed = _table.Tombstones.ToDictionary(r => r.Path, r => r.DeletionTimestamp, StringComparer.Ordinal);
            }
            var staging = 0;
            foreach (var folder in new[] { _log.Folder, Folder, Path.Combine(Folder, SideFolderName) }.Where(Directory.Exists))
                foreach (var file in Directory.EnumerateFiles(folder))
                {
                    var name = Path.GetFileName(file);
                    var isStaging = (name.StartsWith(DeltaLog.StagingPrefix, StringComparison.Ordinal) && name.EndsWith(DeltaLog.StagingSuffix, StringComparison.Ordinal))
                        || (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal));
                    if (isStaging && File.GetLastWriteTimeUtc(file) < cutoff && TryDelete(file)) staging++;
                }
            var data = 0;
            var cutoffMs = new DateTimeOffset(cutoff).ToUnixTimeMilliseconds();
            foreach (var file in Directory.EnumerateFiles(Folder, "*.parquet"))
            {
                var name = Path.GetFileName(file);
                if (active.Contains(name) || File.GetLastWriteTimeUtc(file) >= cutoff) continue;
                if (removed.TryGetValue(name, out var deletedAt) && (deletedAt is null || deletedAt >= cutoffMs)) continue;
                if (TryDelete(file)) data++;
            }
            return new DeltaCleanup(staging, data);
        }
    }

    private static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    // Runs of consecutive files below the size limit, cut so no merged file exceeds it; a run of one stays as it is.
    private static List<List<DeltaFileRange>> SmallFileRuns(DeltaFileRange[] files, int maxEventsPerFile)
    {
        var groups = new List<List<DeltaFileRange>>();
        var current = new List<DeltaFileRange>();
        long rows = 0;
        void Close()
        {
            if (current.Count > 1) groups.Add(current);
            current = [];
            rows = 0;
        }
        foreach (var file in files)
        {
            if (file.Rows >= maxEventsPerFile)
            {
                Close();
                continue;
            }
            if (rows + file.Rows > maxEventsPerFile) Close();
            current.Add(file);
            rows += file.Rows;
        }
        Close();
        return groups;
    }
}
