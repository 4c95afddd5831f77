using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Wants;

/// <summary>What someone asks for: partitions, how long the want lasts (TTL), by when it should be met (SLA), who and why.</summary>
public sealed record WantRequest(IReadOnlyList<string> Partitions, TimeSpan? Ttl, TimeSpan? Sla, string RequestedBy, string Reason);

/// <summary>Creating and cancelling wants: the writes people make. The reconciler makes the others.</summary>
public static class WantCommands
{
    /// <summary>
    /// Records a new want and returns its id. Throws before writing anything when a ref is invalid or not
    /// produced by exactly one job (<see cref="Graphs.LookupException"/>), or when the SLA is longer than the TTL.
    /// </summary>
    public static string Create(BuildEngine engine, WantRequest request)
    {
        var partitions = engine.ValidateRequest(request.Partitions);
        if (request.Ttl is { } ttl && request.Sla > ttl)
            throw new ArgumentException($"the SLA ({Durations.Format(request.Sla.Value)}) is longer than the TTL ({Durations.Format(ttl)}): the want would expire before it could miss its SLA");
        var id = WantIds.NewRoot(engine.Log.Clock);
        engine.Log.Append(WantEvents.Created(id, partitions, request.Ttl, request.Sla, request.RequestedBy, request.Reason));
        return id;
    }

    /// <summary>
    /// Cancels the active want <paramref name="wantId"/> and its active descendants, which exist only for it;
    /// returns the ids cancelled. Throws <see cref="ArgumentException"/> for an unknown or ended want.
    /// </summary>
    public static IReadOnlyList<string> Cancel(BuildEventLog log, WantsView wants, string wantId, string message)
    {
        var want = wants.Get(wantId) ?? throw new ArgumentException($"no want '{wantId}'");
        if (!want.IsActive)
            throw new ArgumentException($"want {wantId} is already {ProtoNames.Of(want.Status).Replace("WANT_", "").ToLowerInvariant()}");
        var cancelled = new List<string>();
        var pending = new Queue<WantInfo>([want]);
        while (pending.TryDequeue(out var next))
        {
            cancelled.Add(next.WantId);
            foreach (var child in wants.ChildrenOf(next.WantId).Where(c => c.IsActive)) pending.Enqueue(child);
        }
        log.Append(cancelled.Select(id => WantEvents.Moved(id, WantStatus.WantCancelled,
            id == wantId ? message : $"its ancestor want {wantId} was cancelled")).ToList());
        return cancelled;
    }
}
