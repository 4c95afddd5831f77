using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Wants;

/// <summary>
/// When a want is satisfied, expired or past its SLA, and the events that say so. A want is satisfied when
/// every partition it names has data (AVAILABLE or STALE: the engine does not rebuild stale data unasked).
/// </summary>
public static class WantRules
{
    /// <summary>When the last partition of <paramref name="want"/> got data, or null while one has none.</summary>
    public static DateTimeOffset? SatisfiedAt(WantInfo want, PartitionCatalog catalog)
    {
        var at = want.CreatedAt;
        foreach (var partition in want.Partitions)
        {
            if (catalog.Get(partition)?.LastBuilt is not { } built) return null;
            var builtAt = BuildEventLog.FromUnixNanos(built.Timestamp);
            if (builtAt > at) at = builtAt;
        }
        return at;
    }

    /// <summary>The partitions of <paramref name="want"/> without data yet.</summary>
    public static IReadOnlyList<string> Missing(WantInfo want, PartitionCatalog catalog) =>
        want.Partitions.Where(p => catalog.Get(p)?.LastBuilt is null).ToArray();

    /// <summary>
    /// The events due for <paramref name="want"/> at <paramref name="now"/>, in the order to write them: a
    /// missed SLA before the SATISFIED or EXPIRED that came after it; CANCELLED when its parent was cancelled.
    /// </summary>
    public static IReadOnlyList<BuildEvent> Due(WantInfo want, WantsView wants, PartitionCatalog catalog, DateTimeOffset now)
    {
        if (!want.IsActive) return [];
        if (wants.Get(want.ParentWantId) is { Status: WantStatus.WantCancelled } parent)
            return [WantEvents.Moved(want.WantId, WantStatus.WantCancelled, $"its parent want {parent.WantId} was cancelled")];

        var events = new List<BuildEvent>();
        var satisfiedAt = SatisfiedAt(want, catalog);
        var expired = satisfiedAt is null && want.ExpiresAt <= now;
        if (want.SlaDeadline is { } deadline && want.SlaMissedAt is null)
        {
            if (satisfiedAt > deadline)
                events.Add(WantEvents.Moved(want.WantId, WantStatus.WantSlaMissed,
                    $"satisfied {Durations.Format(satisfiedAt.Value - deadline)} after its SLA of {Durations.Format(deadline - want.CreatedAt)}"));
            else if (satisfiedAt is null && deadline <= (expired ? want.ExpiresAt!.Value : now))
                events.Add(WantEvents.Moved(want.WantId, WantStatus.WantSlaMissed,
                    $"not satisfied within its SLA of {Durations.Format(deadline - want.CreatedAt)}; missing {Describe(Missing(want, catalog))}"));
        }
        if (satisfiedAt is not null)
            events.Add(WantEvents.Moved(want.WantId, WantStatus.WantSatisfied, "every partition is available"));
        else if (expired)
            events.Add(WantEvents.Moved(want.WantId, WantStatus.WantExpired,
                $"its TTL of {Durations.Format(want.ExpiresAt!.Value - want.CreatedAt)} ran out; missing {Describe(Missing(want, catalog))}"));
        return events;
    }

    /// <summary>A list of refs for one line: the first few, then how many more.</summary>
    public static string Describe(IReadOnlyList<string> refs) => ListText.FirstAndMore(refs, 3);
}
