using System.Runtime.CompilerServices;
using DataBuild.Proto;

namespace DataBuild.Events;

/// <summary>Reading a log as it grows, the way <c>databuild events --follow</c> does.</summary>
public static class EventFollowing
{
    /// <summary>
    /// How long a follower waits before listing again when nothing woke it. Wake-ups are hints that can be
    /// lost (a dropped connection, a missed notification), so this bounds how late a follower can be.
    /// </summary>
    public static readonly TimeSpan Backstop = TimeSpan.FromSeconds(5);

    private const int PageSize = 1000;

    /// <summary>
    /// Every event after <paramref name="sinceIndex"/> matching <paramref name="filter"/>, in index order,
    /// then each new one as it is committed, until <paramref name="cancellationToken"/> is cancelled. The
    /// cursor only moves past what was listed, so a follower that stops can resume from the index of the
    /// last event it handled without missing or repeating one.
    /// </summary>
    public static async IAsyncEnumerable<StoredEvent> FollowAsync(this IEventStorage storage, long sinceIndex, EventFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        EventPaging.ValidateArguments(sinceIndex, filter, PageSize);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var page = storage.List(sinceIndex, filter, PageSize);
            foreach (var stored in page.Events) yield return stored;
            sinceIndex = page.NextSinceIndex;
            if (!page.HasMore) await storage.WaitForEventsAsync(sinceIndex, Backstop, cancellationToken);
        }
    }
}
