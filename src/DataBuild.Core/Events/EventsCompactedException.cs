namespace DataBuild.Events;

/// <summary>
/// A read of a compacted log from below its retained range (docs/event-log.md#compaction): the events asked for are
/// gone from the live log, and the view snapshot holds their effect. Never a silent gap: a reader either gets every
/// event after its since-index or this.
/// </summary>
public sealed class EventsCompactedException(string description, CompactionMark mark, long sinceIndex)
    : Exception($"the BEL {description} was compacted up to event {mark.FirstRetainedIndex - 1} (events 1-{mark.FirstRetainedIndex - 1} were {mark.Fate}) " +
        $"and its view snapshot holds their effect: events after {sinceIndex} cannot be listed, read from since-index {mark.FirstRetainedIndex - 1} on")
{
    public CompactionMark Mark { get; } = mark;

    /// <summary>The lowest since-index that can be read: the last compacted index.</summary>
    public long LowestSinceIndex => Mark.FirstRetainedIndex - 1;

    /// <summary>Throws when <paramref name="sinceIndex"/> is below what <paramref name="mark"/> retains.</summary>
    public static void ThrowIfBelow(string description, CompactionMark? mark, long sinceIndex)
    {
        if (mark is not null && sinceIndex < mark.FirstRetainedIndex - 1) throw new EventsCompactedException(description, mark, sinceIndex);
    }
}
