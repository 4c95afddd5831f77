using System.Diagnostics;
using DataBuild.Events;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Storage.Delta;

/// <summary>
/// The BEL as an append-only Delta Lake table (<c>delta:&lt;folder&gt;</c>, docs/event-log.md#delta-lake): each
/// batch is one Parquet data file and one commit, <c>_delta_log/NNN.json</c>, created by put-if-absent
/// (<see cref="PutIfAbsent"/>). A writer that loses the race for a version reads the commits it missed,
/// renumbers its batch after them, rewrites its data file and tries the next version; writers on one machine
/// also take <c>_databuild/append.lock</c> so they rarely race, but correctness rests on the put-if-absent alone.
/// </summary>
public sealed partial class DeltaEventStorage : IEventStorage
{
    private static readonly Backoff RetryBackoff = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(50));
    private readonly object _appendLock = new();
    private readonly object _state = new();
    private readonly DeltaLog _log;
    private readonly TimeSpan _lockTimeout;
    private readonly bool _serializeWriters;

    // What this instance has read of the table, guarded by _state. Data files never change, so the event
    // ids of the files it has seen are read once; _idsKnownUpTo is the last index whose id is in _indexById.
    private DeltaTableState _table;
    private DeltaFileRange[] _files = [];
    private long _lastIndex;
    private readonly Dictionary<string, long> _indexById = new(StringComparer.Ordinal);
    private long _idsKnownUpTo;

    // The rows of the last data file this instance committed: the validator and the views read a batch back
    // right after appending it, and a data file never changes, so that read needs no Parquet decoding.
    private volatile WrittenFile? _lastWritten;

    /// <param name="folder">The table's folder; created by the first append.</param>
    /// <param name="lockTimeout">How long an append waits for other writers before it gives up; 60 s by default.</param>
    /// <param name="serializeWriters">Whether appends of this machine take turns on a lock file; false only to test the commit protocol under contention.</param>
    public DeltaEventStorage(string folder, TimeSpan? lockTimeout = null, bool serializeWriters = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Folder = Path.GetFullPath(folder);
        _log = new DeltaLog(Folder);
        _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(60);
        _serializeWriters = serializeWriters;
        Snapshots = new DeltaSnapshotStore(Path.Combine(Folder, SideFolderName), _lockTimeout);
        if (File.Exists(Folder))
            throw new EventStorageUnavailableException($"cannot open the BEL {Description}: it is a file, not a folder", new IOException(Folder));
        try
        {
            _table = _log.Replay();
            Refresh();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException and not EventStorageUnavailableException)
        {
            throw new EventStorageUnavailableException($"cannot open the BEL {Description}: {e.Message}", e);
        }
    }

    /// <summary>The folder beside the Delta files where DataBuild keeps what is not part of the table: the writers' lock, the view snapshot.</summary>
    public const string SideFolderName = "_databuild";

    /// <summary>Every this many versions a writer also writes a checkpoint of the table and points <c>_last_checkpoint</c> at it.</summary>
    public const int CheckpointInterval = 100;

    public string Folder { get; }

    public string Description => $"delta:{Folder}";

    /// <summary>The snapshot of the views, in <c>_databuild/views.snapshot</c>.</summary>
    public ISnapshotStore Snapshots { get; }

    /// <summary>The table version this instance has read up to; -1 before the first commit.</summary>
    public long Version
    {
        get
        {
            lock (_state) return _table.Version;
        }
    }

    public IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events, AppendGuard? guard = null)
    {
        AppendPlan.Validate(events);
        if (events.Count == 0) return [];
        lock (_appendLock)
        {
            using var hostLock = _serializeWriters ? AcquireWriterLock() : null;
            var clock = Stopwatch.StartNew();
            for (var conflicts = 0; ; conflicts++)
            {
                AppendPlan plan;
                DeltaFileRange[] files;
                long version, lastIndex;
                lock (_state)
                {
                    CatchUp();
                    LoadEventIds();
                    plan = AppendPlan.Create(events, _lastIndex, id => _indexById.TryGetValue(id, out var index) ? index : null);
                    (files, version, lastIndex) = (_files, _table.Version, _lastIndex);
                }
                plan.RunGuard(guard, (since, limit) =>
                {
                    EventPaging.ValidateArguments(since, new EventFilter(), limit);
                    return ListFiles(files, lastIndex, since, new EventFilter(), limit);
                });
                if (plan.NewEvents.Count == 0) return plan.Indexes;
                if (TryCommit(version + 1, plan))
                {
                    AfterCommit(version + 1, plan);
                    return plan.Indexes;
                }
                if (clock.Elapsed > _lockTimeout)
                    throw new TimeoutException($"{Description}: could not commit {plan.NewEvents.Count} events within {_lockTimeout.TotalSeconds:0.#} s: other writers took {conflicts + 1} versions first.");
                Thread.Sleep(RetryBackoff.After(Math.Min(conflicts + 1, 6)) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 3)));
            }
        }
    }

    public EventPage List(long sinceIndex, EventFilter filter, int limit)
    {
        EventPaging.ValidateArguments(sinceIndex, filter, limit);
        for (var attempt = 1; ; attempt++)
        {
            DeltaFileRange[] files;
            long lastIndex;
            lock (_state)
            {
                CatchUp();
                (files, lastIndex) = (_files, _lastIndex);
            }
            try
            {
                return ListFiles(files, lastIndex, sinceIndex, filter, limit);
            }
            catch (FileNotFoundException) when (attempt < 3)
            {
                // Compaction replaced a file and cleanup removed it after this read the log: read it again.
            }
        }
    }

    /// <summary>Polls for the next version's commit file: nothing announces another process's commit.</summary>
    public Task WaitForEventsAsync(long sinceIndex, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        EventPolling.WaitAsync(this, sinceIndex, timeout, cancellationToken);

    /// <summary>Nothing to release: files are opened per call.</summary>
    public void Dispose()
    {
    }

    public override string ToString() => Description;

    private EventPage ListFiles(DeltaFileRange[] files, long lastIndex, long sinceIndex, EventFilter filter, int limit)
    {
        var matcher = new EventFilterMatcher(filter);
        var events = new List<StoredEvent>();
        for (var i = FirstFileAfter(files, sinceIndex); i < files.Length && events.Count < limit; i++)
        {
            if (!matcher.IsEmpty && !DeltaDataFile.MayMatch(files[i].Add.ParsedStats, filter)) continue;
            var path = files[i].Add.Path;
            var rows = _lastWritten is { } written && written.Path == path ? written.Rows : DeltaDataFile.ReadRows(Folder, files[i].Add);
            foreach (var row in rows)
            {
                if (row.Index <= sinceIndex) continue;
                var buildEvent = row.ToEvent();
                if (!matcher.Matches(buildEvent)) continue;
                events.Add(new StoredEvent { Index = row.Index, Event = buildEvent });
                if (events.Count == limit) break;
            }
        }
        return EventPaging.Create(events, limit, sinceIndex, lastIndex);
    }

    // The first file holding an index after sinceIndex: files are sorted and contiguous, so a binary search.
    private static int FirstFileAfter(DeltaFileRange[] files, long sinceIndex)
    {
        int low = 0, high = files.Length;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (files[middle].MaxIndex <= sinceIndex) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    private bool TryCommit(long version, AppendPlan plan)
    {
        Directory.CreateDirectory(Folder);
        var rows = plan.NewEvents.Select((e, i) => DeltaEventRow.From(plan.FirstNewIndex + i, e)).ToList();
        var add = DeltaDataFile.Write(Folder, rows, dataChange: true);
        var lastNew = plan.FirstNewIndex + rows.Count - 1;
        var commit = new DeltaCommit
        {
            Protocol = version == 0 ? DeltaEventTable.Protocol : null,
            Metadata = version == 0 ? DeltaEventTable.NewMetadata() : null,
            Adds = [add],
            CommitInfo = DeltaEventTable.CommitInfo("WRITE", plan.FirstNewIndex, lastNew),
        };
        var committed = false;
        try
        {
            committed = _log.TryCommit(version, commit);
            if (committed) _lastWritten = new WrittenFile(add.Path, rows);
            return committed;
        }
        finally
        {
            // A lost race: these indexes belong to another batch now, so the file is written again, renumbered.
            if (!committed) File.Delete(Path.Combine(Folder, add.Path));
        }
    }

    private void AfterCommit(long version, AppendPlan plan)
    {
        lock (_state)
        {
            if (_idsKnownUpTo == plan.FirstNewIndex - 1)
            {
                for (var i = 0; i < plan.NewEvents.Count; i++) _indexById[plan.NewEvents[i].EventId] = plan.FirstNewIndex + i;
                _idsKnownUpTo = plan.FirstNewIndex + plan.NewEvents.Count - 1;
            }
            CatchUp();
        }
        if (version > 0 && version % CheckpointInterval == 0) WriteCheckpoint();
    }

    /// <summary>
    /// Reads the commits written since this instance last looked. Call under <see cref="_state"/>. An append's
    /// commit (new files right after the last index) extends the file list; any other commit rebuilds it.
    /// </summary>
    private void CatchUp()
    {
        var rebuild = false;
        while (_log.ReadCommit(_table.Version + 1) is { } commit)
        {
            _table.Apply(_table.Version + 1, commit);
            if (rebuild || commit.Metadata is not null || commit.Removes.Count > 0 || !TryExtend(commit.Adds)) rebuild = true;
        }
        if (rebuild) Refresh();
    }

    private bool TryExtend(List<DeltaAdd> adds)
    {
        var files = new List<DeltaFileRange>(adds.Count);
        var expected = _lastIndex + 1;
        foreach (var add in adds)
        {
            if (add.ParsedStats is not { } stats || stats.MinLong("index") != expected || stats.MaxLong("index") is not { } max || max < expected) return false;
            files.Add(new DeltaFileRange(add, expected, max));
            expected = max + 1;
        }
        _files = [.. _files, .. files];
        _lastIndex = expected - 1;
        return true;
    }

    // The sorted index ranges of the active files, checked dense: a gap or overlap is damage, never skipped.
    private void Refresh()
    {
        if (_table.Metadata is { } metadata) DeltaEventTable.CheckSchema(metadata, Description);
        var files = _table.ActiveFiles.Select(add =>
        {
            var stats = add.ParsedStats;
            if (stats?.MinLong("index") is not { } min || stats.MaxLong("index") is not { } max)
                throw new InvalidDataException($"{Description}: data file '{add.Path}' has no min/max index in its stats: it was not written by DataBuild.");
            return new DeltaFileRange(add, min, max);
        }).OrderBy(f => f.MinIndex).ToArray();
        var expected = 1L;
        foreach (var file in files)
        {
            if (file.MinIndex != expected)
                throw new InvalidDataException($"{Description} version {_table.Version}: data file '{file.Add.Path}' starts at index {file.MinIndex}, expected {expected}. The table is damaged here; events are never skipped.");
            expected = file.MaxIndex + 1;
        }
        _files = files;
        _lastIndex = expected - 1;
    }

    /// <summary>Reads the event ids of the files this instance has not read ids from. Call under <see cref="_state"/>.</summary>
    private void LoadEventIds()
    {
        for (var i = FirstFileAfter(_files, _idsKnownUpTo); i < _files.Length; i++)
        {
            foreach (var row in DeltaDataFile.ReadIds(Folder, _files[i].Add))
                if (row.Index > _idsKnownUpTo) _indexById[row.EventId] = row.Index;
            _idsKnownUpTo = _files[i].MaxIndex;
        }
    }

    private sealed record WrittenFile(string Path, IList<DeltaEventRow> Rows);

    private FileStream AcquireWriterLock()
    {
        var side = Path.Combine(Folder, SideFolderName);
        Directory.CreateDirectory(side);
        var path = Path.Combine(side, "append.lock");
        var clock = Stopwatch.StartNew();
        for (var failures = 1; ; failures++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException))
            {
                if (clock.Elapsed >= _lockTimeout)
                    throw new TimeoutException($"Could not lock '{path}' within {_lockTimeout.TotalSeconds:0.#} s: another process keeps appending to the log.", e);
                Thread.Sleep(RetryBackoff.After(failures) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2)));
            }
        }
    }
}
