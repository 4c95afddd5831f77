using DataBuild.Proto;

namespace DataBuild.Events;

/// <summary>The paging rules of <see cref="IEventStorage.List"/>, shared so every backend pages the same way.</summary>
public static class EventPaging
{
    public static void ValidateArguments(long sinceIndex, EventFilter filter, int limit)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfNegative(sinceIndex);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
    }

    /// <summary>
    /// A full page may have more after it, so the reader goes on from its last event. A short page is the
    /// end of the log as the reader saw it: it goes on from the highest committed index, so a follower
    /// does not rescan events that did not match.
    /// </summary>
    public static EventPage Create(IReadOnlyList<StoredEvent> events, int limit, long sinceIndex, long lastCommittedIndex)
    {
        var page = new EventPage();
        page.Events.AddRange(events);
        page.HasMore = events.Count >= limit;
        page.NextSinceIndex = page.HasMore ? events[^1].Index : Math.Max(sinceIndex, lastCommittedIndex);
        return page;
    }
}
