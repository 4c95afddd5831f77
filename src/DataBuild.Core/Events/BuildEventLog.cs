using DataBuild.Proto;

namespace DataBuild.Events;

/// <summary>
/// The access layer over an <see cref="IEventStorage"/> (docs/event-log.md): every batch is checked against the
/// state machines while the storage holds its write lock, so a refused event is never written, even when
/// several processes write to the same log. Fills in event ids, timestamps and the schema version. Reading
/// checks committed events with the same validator: one that is not a correct next state is skipped
/// (<see cref="Skipped"/>), and reported once, when first read (<see cref="EventSkipped"/>).
/// </summary>
public sealed partial class BuildEventLog : IDisposable
{
    private const int CatchUpPageSize = 10_000;

    private TransitionValidator _validator = new();
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, SkippedEvent> _skipped = [];
    private long _validatedThrough;

    public BuildEventLog(IEventStorage storage, TimeProvider? clock = null)
    {
        Storage = storage;
        _clock = clock ?? TimeProvider.System;
    }

    public IEventStorage Storage { get; }

    public TimeProvider Clock => _clock;

    /// <summary>Raised once for each committed event the validator skips, when it is first read; under the log's lock, so keep it short.</summary>
    public event Action<SkippedEvent>? EventSkipped;

    /// <summary>The committed events skipped so far, by index.</summary>
    public IReadOnlyList<SkippedEvent> Skipped
    {
        get
        {
            lock (_gate) return _skipped.Values.OrderBy(s => s.Index).ToArray();
        }
    }

    /// <summary>
    /// Validates and appends <paramref name="events"/> as one batch, returning their indexes. Throws
    /// <see cref="InvalidEventException"/> (nothing written) when any event is not a correct next state.
    /// Events already in the log (same event_id) are not written again and keep their index.
    /// </summary>
    public IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events) => Append(events, precondition: null);

    public IReadOnlyList<long> Append(params BuildEvent[] events) => Append((IReadOnlyList<BuildEvent>)events);

    /// <summary>
    /// Appends like <see cref="Append(IReadOnlyList{BuildEvent})"/>, but only while no partition of any check
    /// has been made AVAILABLE by a job run after that check's log index; otherwise throws
    /// <see cref="PartitionBuiltSinceException"/> and writes nothing. The checks run under the write lock, so a
    /// build that decided at some index that a partition must be built cannot start it after another build
    /// finished it. Several checks let one batch start several job runs, each judged at its own index.
    /// </summary>
    public IReadOnlyList<long> AppendUnlessBuiltSince(IReadOnlyList<BuildEvent> events,
        IReadOnlyList<(IReadOnlyCollection<string> Partitions, long SinceIndex)> checks) =>
        Append(events, () =>
        {
            foreach (var (partitions, sinceIndex) in checks)
                if (_validator.BuiltAfter(partitions, sinceIndex) is { } built)
                    throw new PartitionBuiltSinceException(built.Partition, built.Index, sinceIndex);
        });

    private IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events, Action? precondition)
    {
        foreach (var e in events) Stamp(e);
        lock (_gate)
        {
            // A writer that has not read yet starts its validator from the snapshot too, not from index 0.
            LoadSnapshot();
            var validated = false;
            var validatedBefore = _validatedThrough;
            void Forget()
            {
                _validator.Undo();
                _validatedThrough = validatedBefore;
                validated = false;
            }
            try
            {
                return Storage.Append(events, (newEvents, readSince) =>
                {
                    // A storage may retry its transaction (and so this guard) after a transient error.
                    if (validated) Forget();
                    CatchUp(readSince);
                    precondition?.Invoke();
                    validatedBefore = _validatedThrough;
                    _validator.ApplyBatch(newEvents, _validatedThrough + 1);
                    validated = true;
                    _validatedThrough += newEvents.Count;
                });
            }
            catch (Exception e) when (validated || IsStorageFailure(e))
            {
                // The batch passed validation but was not written: forget it so the state matches the log.
                if (validated) Forget();
                if (IsStorageFailure(e)) throw StorageFailed("written", e);
                throw;
            }
        }
    }

    public EventPage List(long sinceIndex, EventFilter filter, int limit)
    {
        try
        {
            return Storage.List(sinceIndex, filter, limit);
        }
        catch (Exception e) when (IsStorageFailure(e))
        {
            throw StorageFailed("read", e);
        }
    }

    // What a backend throws when its medium fails (a full disk, a server gone past its retries), as opposed
    // to refusing what it was asked: those are the access layer's own exceptions and pass through as they are.
    // So does a backend's own word that the log cannot be opened or created where it is (a missing folder, a
    // damaged file): that is a problem with the log's place, said already, not a failure half-way.
    private static bool IsStorageFailure(Exception e) =>
        e is System.Data.Common.DbException or IOException or TimeoutException or UnauthorizedAccessException
        && e is not (EventStorageFailedException or EventStorageUnavailableException);

    private EventStorageFailedException StorageFailed(string verb, Exception e) =>
        new($"the BEL {Storage.Description} could not be {verb}: {e.Message.TrimEnd('.')}", e);

    /// <summary>
    /// Reads the committed log once for two readers: brings the validator up to date, and gives
    /// <paramref name="apply"/> every event after <paramref name="sinceIndex"/> that it accepts, in order; the
    /// rest are skipped, never trusted. Each page is read once for both, so a view costs no second reading and
    /// a writer that keeps its own views does not read a long log twice (the second time under the write lock,
    /// at its first append). Returns the index to read on from, as <see cref="EventPage.NextSinceIndex"/>.
    /// </summary>
    public long ReadCommitted(long sinceIndex, Action<StoredEvent> apply)
    {
        long from;
        lock (_gate)
        {
            LoadSnapshot();
            from = Math.Min(sinceIndex, _validatedThrough);
        }
        var filter = new EventFilter();
        while (true)
        {
            var page = List(from, filter, CatchUpPageSize);
            // Indexed: RepeatedField's enumerator is an iterator, two interface calls per event.
            var events = page.Events;
            HashSet<long>? skip = null;
            lock (_gate)
            {
                // Committed events are facts, so they may be applied outside the write lock; an append of
                // this process may have applied some already.
                for (var i = 0; i < events.Count; i++)
                    if (events[i].Index == _validatedThrough + 1) ApplyCommitted(events[i]);
                if (_skipped.Count > 0)
                    for (var i = 0; i < events.Count; i++)
                        if (_skipped.ContainsKey(events[i].Index)) (skip ??= []).Add(events[i].Index);
            }
            for (var i = 0; i < events.Count; i++)
                if (events[i].Index > sinceIndex && skip?.Contains(events[i].Index) != true) apply(events[i]);
            from = page.NextSinceIndex;
            if (!page.HasMore) return Math.Max(from, sinceIndex);
        }
    }

    /// <summary>
    /// Reads the whole log through a validator of its own, from index 0, for <c>databuild verify</c>: no snapshot
    /// stands in for any part of the log.
    /// </summary>
    public LogCheck Verify()
    {
        var validator = new TransitionValidator();
        var skipped = new List<SkippedEvent>();
        var events = 0L;
        foreach (var stored in ReadAll())
        {
            events = stored.Index;
            if (validator.ApplyCommitted(stored.Event, stored.Index) is { } refused)
                skipped.Add(new SkippedEvent(stored.Index, Printable(stored.Event.EventId), Printable(refused.Message)));
        }
        return new LogCheck(events, skipped);
    }

    /// <summary>Every event after <paramref name="sinceIndex"/> matching <paramref name="filter"/>, read page by page.</summary>
    public IEnumerable<StoredEvent> ReadAll(long sinceIndex = 0, EventFilter? filter = null, int pageSize = CatchUpPageSize)
    {
        filter ??= new EventFilter();
        while (true)
        {
            var page = List(sinceIndex, filter, pageSize);
            foreach (var stored in page.Events) yield return stored;
            sinceIndex = page.NextSinceIndex;
            if (!page.HasMore) yield break;
        }
    }

    private void CatchUp(Func<long, int, EventPage> readSince)
    {
        while (true)
        {
            var page = readSince(_validatedThrough, CatchUpPageSize);
            var events = page.Events;
            for (var i = 0; i < events.Count; i++) ApplyCommitted(events[i]);
            if (!page.HasMore) return;
        }
    }

    private void ApplyCommitted(StoredEvent stored)
    {
        _validatedThrough = stored.Index;
        if (_validator.ApplyCommitted(stored.Event, stored.Index) is not { } refused) return;
        var skipped = new SkippedEvent(stored.Index, Printable(stored.Event.EventId), Printable(refused.Message));
        _skipped[stored.Index] = skipped;
        EventSkipped?.Invoke(skipped);
    }

    // What a hand-written event says is shown to users: control characters could drive their terminal.
    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));

    private void Stamp(BuildEvent e)
    {
        if (string.IsNullOrEmpty(e.EventId)) e.EventId = Guid.CreateVersion7(_clock.GetUtcNow()).ToString();
        if (e.Timestamp == 0) e.Timestamp = UnixNanos(_clock.GetUtcNow());
        if (e.SchemaVersion == 0) e.SchemaVersion = EventSchema.CurrentVersion;
    }

    public static long UnixNanos(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    public static DateTimeOffset FromUnixNanos(long unixNanos) => DateTimeOffset.UnixEpoch.AddTicks(unixNanos / 100);

    public void Dispose() => Storage.Dispose();
}
