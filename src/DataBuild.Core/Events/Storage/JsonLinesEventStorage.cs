using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Events.Storage;

/// <summary>
/// The BEL as a JSON lines file (<c>file:&lt;path&gt;</c>), one <see cref="JsonLinesRecord"/> per line, line N
/// holding index N (index F + N - 1 once compacted before F: see JsonLinesEventStorage.Compaction.cs). Appends hold an exclusive lock on <c>&lt;path&gt;.lock</c>, write the batch at the end
/// and fsync it; reading new lines takes the same lock shared, so a reader never sees an append in progress
/// and an unfinished batch it finds is really one a crash left. Such a torn tail is reported, ignored, and
/// overwritten by the next append; anything else that does not parse is an error naming the line.
/// </summary>
public sealed partial class JsonLinesEventStorage : IEventStorage
{
    private readonly object _appendLock = new();
    private readonly object _state = new();
    private readonly Action<string> _warn;
    private readonly TimeSpan _lockTimeout;

    // What this instance has read of the file, guarded by _state. Committed lines never change, so they
    // are read once, until a compaction replaces the file; _lineStarts[i] is where the line of index _firstIndex + i starts.
    private readonly List<long> _lineStarts = [];
    private long _firstIndex = 1;
    private readonly Dictionary<string, long> _indexById = new(StringComparer.Ordinal);
    private long _committedEnd;
    private long _reportedTornTailAt = -1;

    /// <param name="path">The log file; its folder is created when missing, the file on the first append.</param>
    /// <param name="onWarning">Receives problems that do not stop the log, such as a torn last batch; standard error by default.</param>
    /// <param name="lockTimeout">How long to wait for another process's append; 60 s by default.</param>
    public JsonLinesEventStorage(string path, Action<string>? onWarning = null, TimeSpan? lockTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        LockPath = Path + ".lock";
        _snapshotFile = new SnapshotFile(Path, lockTimeout ?? TimeSpan.FromSeconds(60));
        _warn = onWarning ?? Console.Error.WriteLine;
        _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(60);
        if (Directory.Exists(Path))
            throw new EventStorageUnavailableException($"cannot open the BEL {Description}: it is a folder, not a file", new IOException(Path));
        try
        {
            var folder = System.IO.Path.GetDirectoryName(Path);
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            using var stream = OpenForRead();
            if (stream is not null) CatchUpIfGrown(stream);
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException and not EventStorageUnavailableException)
        {
            throw new EventStorageUnavailableException($"cannot open the BEL {Description}: {e.Message}", e);
        }
    }

    public string Path { get; }

    /// <summary>The file whose OS lock serialises appends across processes.</summary>
    public string LockPath { get; }

    public string Description => $"file:{Path}";


    public IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events, AppendGuard? guard = null)
    {
        AppendPlan.Validate(events);
        if (events.Count == 0) return [];
        lock (_appendLock)
        {
            using var fileLock = ForWriting(() => FileLock.Acquire(LockPath, exclusive: true, _lockTimeout));
            using var stream = ForWriting(() => new FileStream(Path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete));
            AppendPlan plan;
            TornTail? tornTail;
            lock (_state)
            {
                ForgetIfReplaced(stream);
                tornTail = CatchUp(stream);
                plan = AppendPlan.Create(events, LastIndex, id => _indexById.TryGetValue(id, out var index) ? index : null);
            }
            plan.RunGuard(guard, (since, limit) =>
            {
                EventPaging.ValidateArguments(since, new EventFilter(), limit);
                return ListCommitted(stream, since, new EventFilterMatcher(new EventFilter()), limit)!;
            });
            if (plan.NewEvents.Count > 0) Write(stream, plan, tornTail);
            return plan.Indexes;
        }
    }

    public EventPage List(long sinceIndex, EventFilter filter, int limit)
    {
        EventPaging.ValidateArguments(sinceIndex, filter, limit);
        var matcher = new EventFilterMatcher(filter);
        // A compaction may replace the file between opening it and reading it: then read the new one.
        for (var attempt = 1; ; attempt++)
        {
            using var stream = OpenForRead();
            if (stream is null) return EventPaging.Create([], limit, sinceIndex, 0);
            CatchUpIfGrown(stream);
            if (ListCommitted(stream, sinceIndex, matcher, limit) is { } page) return page;
            if (attempt == 3) throw new IOException($"{Description}: the file was replaced by compactions three times while being read");
        }
    }

    /// <summary>Polls: nothing tells a file's readers about another process's append.</summary>
    public Task WaitForEventsAsync(long sinceIndex, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        EventPolling.WaitAsync(this, sinceIndex, timeout, cancellationToken);

    /// <summary>Nothing to release: the log and its lock file are opened per call.</summary>
    public void Dispose()
    {
    }

    public override string ToString() => Description;

    // Opening the log or its lock for an append: a failure here is the log's place, not the append.
    private T ForWriting<T>(Func<T> open)
    {
        try
        {
            return open();
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new EventStorageUnavailableException($"cannot write to the BEL {Description}: {e.Message}", e);
        }
    }

    private FileStream? OpenForRead()
    {
        try
        {
            return new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
    }

    // Reading only what is new keeps a polling follower cheap: no lock, no read, unless the file grew.
    private void CatchUpIfGrown(FileStream stream)
    {
        lock (_state)
        {
            ForgetIfReplaced(stream);
            if (stream.Length == _committedEnd) return;
        }
        using var fileLock = FileLock.Acquire(LockPath, exclusive: false, _lockTimeout);
        lock (_state)
        {
            if (CatchUp(stream) is { } tornTail && tornTail.Offset != _reportedTornTailAt)
            {
                _reportedTornTailAt = tornTail.Offset;
                _warn($"{Description}: ignoring {tornTail.Describe()} left by an append that did not finish; the next append overwrites it.");
            }
        }
    }

    /// <summary>
    /// Reads the lines after <see cref="_committedEnd"/> and records every complete batch; returns the torn
    /// tail, if any. Call under <see cref="_state"/> while holding the file lock.
    /// </summary>
    private TornTail? CatchUp(FileStream stream)
    {
        var length = stream.Length;
        if (length < _committedEnd)
            throw new InvalidDataException($"'{Path}' is shorter ({length} bytes) than the {_committedEnd} bytes already read from it: it was truncated or replaced.");
        var batch = new List<(long Offset, JsonLinesRecord Record)>();
        var batchIds = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = (long)_lineStarts.Count;
        if (_committedEnd == 0 && FirstIndexOf(stream) is { } first) _firstIndex = first;
        (FileLine Line, long Number, string Problem)? unparsable = null;
        foreach (var line in JsonLinesReader.Read(stream, _committedEnd, length))
        {
            lineNumber++;
            // Only the last line may be unparsable (cut short by a crash); one with lines after it is damage.
            if (unparsable is { } earlier) throw CorruptLine(earlier.Number, earlier.Problem);
            if (!line.Terminated)
            {
                unparsable = (line, lineNumber, "no newline at the end");
                continue;
            }
            if (!JsonLinesRecord.TryParse(line.Bytes, out var record, out var problem))
            {
                unparsable = (line, lineNumber, problem!);
                continue;
            }
            var expected = _firstIndex + _lineStarts.Count + batch.Count;
            if (record.Index != expected) throw CorruptLine(lineNumber, $"index {record.Index}, expected {expected}");
            var id = record.Event.EventId;
            if (_indexById.ContainsKey(id) || !batchIds.Add(id)) throw CorruptLine(lineNumber, $"event_id '{id}' repeats an earlier line");
            batch.Add((line.Offset, record));
            if (record.Index < record.BatchEnd) continue;
            foreach (var (offset, committed) in batch)
            {
                _lineStarts.Add(offset);
                _indexById[committed.Event.EventId] = committed.Index;
            }
            _committedEnd = line.End;
            batch.Clear();
            batchIds.Clear();
        }
        if (batch.Count == 0 && unparsable is null) return null;
        // A crash leaves the beginning of a line this backend writes, or zeros; anything else is not ours to overwrite.
        if (batch.Count == 0 && !JsonLinesRecord.CouldBeTornRecord(unparsable!.Value.Line.Bytes))
            throw CorruptLine(unparsable.Value.Number, $"not a DataBuild BEL record ({unparsable.Value.Problem})");
        return new TornTail(_committedEnd, length - _committedEnd, _lineStarts.Count + 1, lineNumber);
    }

    // Under _state: the last index read, 0 for an empty log.
    private long LastIndex => _firstIndex - 1 + _lineStarts.Count;

    private EventPage? ListCommitted(FileStream stream, long sinceIndex, EventFilterMatcher matcher, int limit)
    {
        long start, end, lastIndex;
        lock (_state)
        {
            if (FirstIndexOf(stream) is { } first && first != _firstIndex) return null;
            EventsCompactedException.ThrowIfBelow(Description, MarkOf(_firstIndex), sinceIndex);
            lastIndex = LastIndex;
            end = _committedEnd;
            start = sinceIndex < lastIndex ? _lineStarts[(int)(sinceIndex - (_firstIndex - 1))] : end;
        }
        var events = new List<StoredEvent>();
        var index = sinceIndex;
        foreach (var line in JsonLinesReader.Read(stream, start, end))
        {
            index++;
            if (!JsonLinesRecord.TryParse(line.Bytes, out var record, out var problem)) throw CorruptLine(index, problem!);
            if (record.Index != index) throw CorruptLine(index, $"index {record.Index}, expected {index}: the file changed under the reader");
            if (!matcher.Matches(record.Event)) continue;
            events.Add(new StoredEvent { Index = index, Event = record.Event });
            if (events.Count == limit) break;
        }
        return EventPaging.Create(events, limit, sinceIndex, lastIndex);
    }

    private void Write(FileStream stream, AppendPlan plan, TornTail? tornTail)
    {
        var start = _committedEnd;
        var buffer = new MemoryStream();
        var offsets = new List<long>(plan.NewEvents.Count);
        var batchEnd = plan.FirstNewIndex + plan.NewEvents.Count - 1;
        for (var i = 0; i < plan.NewEvents.Count; i++)
        {
            offsets.Add(start + buffer.Length);
            JsonLinesRecord.Write(buffer, plan.FirstNewIndex + i, batchEnd, plan.NewEvents[i]);
        }
        if (tornTail is not null)
            _warn($"{Description}: overwriting {tornTail.Describe()} left by an append that did not finish.");
        try
        {
            stream.SetLength(start);
            stream.Position = start;
            buffer.Position = 0;
            buffer.CopyTo(stream);
            stream.Flush(flushToDisk: true);
        }
        catch (IOException e)
        {
            throw new IOException($"{Description}: appending {plan.NewEvents.Count} events failed; nothing was committed and the partial batch will be overwritten by the next append. {e.Message}", e);
        }
        lock (_state)
        {
            for (var i = 0; i < plan.NewEvents.Count; i++)
            {
                _lineStarts.Add(offsets[i]);
                _indexById[plan.NewEvents[i].EventId] = plan.FirstNewIndex + i;
            }
            _committedEnd = start + buffer.Length;
        }
    }

    private InvalidDataException CorruptLine(long lineNumber, string problem) =>
        new($"'{Path}' line {lineNumber}: {problem}. The BEL is damaged here; lines are never skipped, so repair or restore the file.");

    /// <summary>An unfinished batch at the end of the file: from <see cref="Offset"/> to the end.</summary>
    private sealed record TornTail(long Offset, long Length, long FirstLine, long LastLine)
    {
        public string Describe() => FirstLine == LastLine
            ? $"an incomplete last batch ({Length} bytes on line {FirstLine})"
            : $"an incomplete last batch ({Length} bytes on lines {FirstLine}-{LastLine})";
    }
}
