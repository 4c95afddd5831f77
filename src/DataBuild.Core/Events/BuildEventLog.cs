using DataBuild.Proto;

namespace DataBuild.Events;

/// <summary>
/// The access layer over an <see cref="IEventStorage"/> (DESIGN.md §6): every batch is checked against the
/// state machines while the storage holds its write lock, so a refused event is never written, even when
/// several processes write to the same log. Fills in event ids, timestamps and the schema version.
/// </summary>
public sealed class BuildEventLog : IDisposable
{
    private const int CatchUpPageSize = 10_000;

    private readonly TransitionValidator _validator = new();
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private long _validatedThrough;

    public BuildEventLog(IEventStorage storage, TimeProvider? clock = null)
    {
        Storage = storage;
        _clock = clock ?? TimeProvider.System;
    }

    public IEventStorage Storage { get; }

    public TimeProvider Clock => _clock;

    /// <summary>
    /// Validates and appends <paramref name="events"/> as one batch, returning their indexes. Throws
    /// <see cref="InvalidEventException"/> (nothing written) when any event is not a correct next state.
    /// Events already in the log (same event_id) are not written again and keep their index.
    /// </summary>
    public IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events)
    {
        foreach (var e in events) Stamp(e);
        lock (_gate)
        {
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
                    validatedBefore = _validatedThrough;
                    _validator.ApplyBatch(newEvents);
                    validated = true;
                    _validatedThrough += newEvents.Count;
                });
            }
            catch when (validated)
            {
                // The batch passed validation but was not written: forget it so the state matches the log.
                Forget();
                throw;
            }
        }
    }

    public IReadOnlyList<long> Append(params BuildEvent[] events) => Append((IReadOnlyList<BuildEvent>)events);

    public EventPage List(long sinceIndex, EventFilter filter, int limit) => Storage.List(sinceIndex, filter, limit);

    /// <summary>Every event after <paramref name="sinceIndex"/> matching <paramref name="filter"/>, read page by page.</summary>
    public IEnumerable<StoredEvent> ReadAll(long sinceIndex = 0, EventFilter? filter = null, int pageSize = CatchUpPageSize)
    {
        filter ??= new EventFilter();
        while (true)
        {
            var page = Storage.List(sinceIndex, filter, pageSize);
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
            foreach (var stored in page.Events)
            {
                _validator.ApplyCommitted(stored.Event);
                _validatedThrough = stored.Index;
            }
            if (!page.HasMore) return;
        }
    }

    private void Stamp(BuildEvent e)
    {
        if (string.IsNullOrEmpty(e.EventId)) e.EventId = Guid.CreateVersion7(_clock.GetUtcNow()).ToString();
        if (e.Timestamp == 0) e.Timestamp = UnixNanos(_clock.GetUtcNow());
        if (e.SchemaVersion == 0) e.SchemaVersion = EventSchema.CurrentVersion;
    }

    public static long UnixNanos(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    public void Dispose() => Storage.Dispose();
}
