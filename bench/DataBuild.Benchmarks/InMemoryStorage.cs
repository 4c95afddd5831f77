using DataBuild.Events;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Benchmarks;

/// <summary>
/// A read-only log of events already parsed, so reducer benchmarks measure the reducers and not storage
/// or protobuf parsing. Pages like a real backend; filters are not supported.
/// </summary>
internal sealed class InMemoryStorage(IReadOnlyList<StoredEvent> events) : IEventStorage
{
    private readonly StoredSnapshot? _snapshot;

    /// <summary>The same events, with <paramref name="snapshot"/> (a ViewSnapshot's bytes) stored beside them.</summary>
    public InMemoryStorage(InMemoryStorage log, byte[] snapshot) : this(log._events)
    {
        var parsed = ViewSnapshot.Parser.ParseFrom(snapshot);
        _snapshot = new StoredSnapshot(parsed.CoveredIndex, parsed.ViewSchemaVersion, snapshot);
    }

    private readonly IReadOnlyList<StoredEvent> _events = events;

    public string Description => "memory";

    public ISnapshotStore? Snapshots => _snapshot is null ? null : new ReadOnlySnapshot(_snapshot);

    public IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> newEvents, AppendGuard? guard = null) =>
        throw new NotSupportedException("the in-memory benchmark log is read-only");

    public EventPage List(long sinceIndex, EventFilter filter, int limit)
    {
        if (!filter.Equals(new EventFilter())) throw new NotSupportedException("the in-memory benchmark log has no filters");
        // Indexes are 1-based and dense, so index i is at position i - 1.
        var start = (int)Math.Min(sinceIndex, _events.Count);
        var count = Math.Min(limit, _events.Count - start);
        var page = new EventPage { HasMore = count == limit && start + count < _events.Count };
        // Sized once: grown by doubling, the page's array would be garbage of about 2.6 references per event.
        page.Events.Capacity = count;
        for (var i = start; i < start + count; i++) page.Events.Add(_events[i]);
        page.NextSinceIndex = start + count;
        return page;
    }

    /// <summary>Nothing is ever appended here, so a wait returns only when events past the cursor already exist, or at the timeout.</summary>
    public Task WaitForEventsAsync(long sinceIndex, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        sinceIndex < _events.Count ? Task.CompletedTask : Task.Delay(timeout, cancellationToken);

    public void Dispose()
    {
    }

    private sealed class ReadOnlySnapshot(StoredSnapshot snapshot) : ISnapshotStore
    {
        public StoredSnapshot ReadSnapshot() => snapshot;

        public bool WriteSnapshot(StoredSnapshot _) => throw new NotSupportedException("the in-memory benchmark log is read-only");

        // The benchmark reads no listing of every run, so it keeps no history chunks.
        public byte[]? ReadHistory(string chunkId) => null;

        public void DeleteSnapshot() => throw new NotSupportedException("the in-memory benchmark log is read-only");

        public CompactionMark? DeleteSnapshotUnlessCompacted() => throw new NotSupportedException("the in-memory benchmark log is read-only");
    }

    /// <summary><paramref name="count"/> events of <see cref="EventStream"/>, indexed from 1.</summary>
    public static InMemoryStorage Of(EventStream stream, int count)
    {
        var events = new List<StoredEvent>(count);
        foreach (var e in stream.Opening()) events.Add(new StoredEvent { Index = events.Count + 1, Event = e });
        while (events.Count < count) events.Add(new StoredEvent { Index = events.Count + 1, Event = stream.Next() });
        return new InMemoryStorage(events);
    }
}
