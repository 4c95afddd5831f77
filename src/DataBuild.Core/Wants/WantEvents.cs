using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Wants;

/// <summary>Constructors for want events, each with the id <see cref="WantIds.Event"/> gives it.</summary>
public static class WantEvents
{
    public static BuildEvent Created(string wantId, IEnumerable<string> partitions, TimeSpan? ttl, TimeSpan? sla, string requestedBy, string reason,
        string parentWantId = "", string rootWantId = "", string buildRequestId = "")
    {
        var want = new WantEvent
        {
            WantId = wantId,
            Status = WantStatus.WantCreated,
            ParentWantId = parentWantId,
            RootWantId = rootWantId.Length > 0 ? rootWantId : wantId,
            TtlSeconds = Seconds(ttl),
            SlaSeconds = Seconds(sla),
            RequestedBy = requestedBy,
            Reason = reason,
        };
        want.Partitions.AddRange(partitions.Select(NewEvent.Ref));
        return new BuildEvent { EventId = WantIds.Event(wantId, WantStatus.WantCreated), BuildRequestId = buildRequestId, WantEvent = want };
    }

    /// <summary>The want moves to <paramref name="status"/> (SATISFIED, EXPIRED, CANCELLED, or SLA_MISSED), saying why.</summary>
    public static BuildEvent Moved(string wantId, WantStatus status, string message) => new()
    {
        EventId = WantIds.Event(wantId, status),
        WantEvent = new WantEvent { WantId = wantId, Status = status, Message = message },
    };

    // Rounded up: a child inherits what is left of its parent's TTL and must not expire before its parent.
    private static long Seconds(TimeSpan? duration) => duration is { } d ? Math.Max(1, (long)Math.Ceiling(d.TotalSeconds)) : 0;
}
