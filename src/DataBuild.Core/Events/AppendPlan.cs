using DataBuild.Proto;

namespace DataBuild.Events;

/// <summary>
/// Decides, under a backend's write lock, which events of a batch are new and which index each gets, so
/// every backend treats repeated event ids the same way: an id already stored, or repeated within the
/// batch, gets the index it already has.
/// </summary>
public sealed class AppendPlan
{
    private AppendPlan(long[] indexes, List<BuildEvent> newEvents, long firstNewIndex)
    {
        Indexes = indexes;
        NewEvents = newEvents;
        FirstNewIndex = firstNewIndex;
    }

    /// <summary>The index of each event of the batch, in the batch's order.</summary>
    public long[] Indexes { get; }

    /// <summary>The events to write, in order; they take the indexes from <see cref="FirstNewIndex"/> on.</summary>
    public List<BuildEvent> NewEvents { get; }

    public long FirstNewIndex { get; }

    /// <summary>Rejects a batch no backend could store, before any lock is taken.</summary>
    public static void Validate(IReadOnlyList<BuildEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Count; i++)
        {
            if (events[i] is null) throw new ArgumentException($"event {i} of the batch is null", nameof(events));
            if (string.IsNullOrEmpty(events[i].EventId)) throw new ArgumentException($"event {i} of the batch has no event_id", nameof(events));
        }
    }

    /// <param name="lastIndex">The highest index committed so far (0 for an empty log).</param>
    /// <param name="storedIndexOf">The index of an event id already stored, or null.</param>
    public static AppendPlan Create(IReadOnlyList<BuildEvent> events, long lastIndex, Func<string, long?> storedIndexOf)
    {
        var indexes = new long[events.Count];
        var newEvents = new List<BuildEvent>(events.Count);
        var inBatch = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var id = events[i].EventId;
            if (inBatch.TryGetValue(id, out var index))
            {
                indexes[i] = index;
                continue;
            }
            if (storedIndexOf(id) is { } stored)
            {
                index = stored;
            }
            else
            {
                index = lastIndex + newEvents.Count + 1;
                newEvents.Add(events[i]);
            }
            inBatch[id] = index;
            indexes[i] = index;
        }
        return new AppendPlan(indexes, newEvents, lastIndex + 1);
    }

    /// <summary>Runs the guard, if any, on the new events; nothing to validate when every event is a repeat.</summary>
    public void RunGuard(AppendGuard? guard, Func<long, int, EventPage> readSince)
    {
        if (guard is not null && NewEvents.Count > 0) guard(NewEvents, readSince);
    }
}
