using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

// The wants' part of a ViewSnapshot (docs/event-log.md#snapshots): the wants, the proposals, and the two
// indexes the fold of missing-dependency reports reads (active wants by ref, each live build's edges).
// Children are not stored: they are the recorded wants with a parent, in the order created.
public sealed partial class WantsView
{
    internal WantsSnapshot ToSnapshot(SnapshotStrings strings)
    {
        var snapshot = new WantsSnapshot();
        foreach (var want in _ordered)
        {
            var item = new WantSnapshot
            {
                WantId = strings.Id(want.WantId),
                ParentWantId = strings.Id(want.ParentWantId),
                RootWantId = strings.Id(want.RootWantId),
                TtlSeconds = want.TtlSeconds,
                SlaSeconds = want.SlaSeconds,
                RequestedBy = want.RequestedBy,
                Reason = want.Reason,
                BuildRequestId = strings.Id(want.BuildRequestId),
                Status = want.Status,
                CreatedAt = Ticks(want.CreatedAt),
                SlaMissedMessage = want.SlaMissedMessage,
                Message = want.Message,
            };
            strings.AddAll(item.Partitions, want.Partitions);
            if (want.SlaMissedAt is { } missed) item.SlaMissedAt = Ticks(missed);
            if (want.EndedAt is { } ended) item.EndedAt = Ticks(ended);
            snapshot.Wants.Add(item);
        }
        foreach (var proposal in _proposals)
        {
            var item = new ChildWantProposalSnapshot
            {
                WantId = strings.Id(proposal.WantId),
                PartitionRef = strings.Id(proposal.PartitionRef),
                ParentWantId = strings.Id(proposal.ParentWantId),
                RootWantId = strings.Id(proposal.RootWantId),
                BuildRequestId = strings.Id(proposal.BuildRequestId),
                Reason = proposal.Reason,
            };
            if (proposal.ExpiresAt is { } expires) item.ExpiresAt = Ticks(expires);
            snapshot.Proposals.Add(item);
        }
        foreach (var (partitionRef, wants) in _activeByRef) snapshot.ActiveByRef.Add(RefList(strings, partitionRef, wants));
        foreach (var (buildRequestId, edges) in _downstream)
        {
            var item = new DownstreamSnapshot { BuildRequestId = strings.Id(buildRequestId) };
            foreach (var (from, targets) in edges) item.Edges.Add(RefList(strings, from, targets));
            snapshot.Downstream.Add(item);
        }
        return snapshot;
    }

    internal void Restore(WantsSnapshot snapshot, SnapshotStrings strings)
    {
        _wants.Clear();
        _ordered.Clear();
        _children.Clear();
        _proposals.Clear();
        _activeByRef.Clear();
        _downstream.Clear();
        foreach (var item in snapshot.Wants)
        {
            var want = new WantInfo(strings[item.WantId])
            {
                Partitions = strings.All(item.Partitions),
                ParentWantId = strings[item.ParentWantId],
                RootWantId = strings[item.RootWantId],
                TtlSeconds = item.TtlSeconds,
                SlaSeconds = item.SlaSeconds,
                RequestedBy = item.RequestedBy,
                Reason = item.Reason,
                BuildRequestId = strings[item.BuildRequestId],
                Status = item.Status,
                CreatedAt = Time(item.CreatedAt),
                SlaMissedAt = item.HasSlaMissedAt ? Time(item.SlaMissedAt) : null,
                SlaMissedMessage = item.SlaMissedMessage,
                EndedAt = item.HasEndedAt ? Time(item.EndedAt) : null,
                Message = item.Message,
            };
            if (!_wants.TryAdd(want.WantId, want)) throw new InvalidDataException($"want {want.WantId} is in the snapshot twice");
            _ordered.Add(want);
            if (want.ParentWantId.Length == 0) continue;
            if (!_children.TryGetValue(want.ParentWantId, out var siblings)) _children[want.ParentWantId] = siblings = [];
            siblings.Add(want);
        }
        foreach (var item in snapshot.Proposals)
            _proposals.Add(new ChildWantProposal(strings[item.WantId], strings[item.PartitionRef], strings[item.ParentWantId],
                strings[item.RootWantId], strings[item.BuildRequestId], item.Reason, item.HasExpiresAt ? Time(item.ExpiresAt) : null));
        foreach (var item in snapshot.ActiveByRef) _activeByRef[strings[item.Ref]] = [.. strings.All(item.WantIds)];
        foreach (var item in snapshot.Downstream)
        {
            var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
            foreach (var edge in item.Edges) edges[strings[edge.Ref]] = [.. strings.All(edge.WantIds)];
            _downstream[strings[item.BuildRequestId]] = edges;
        }
    }

    private static RefWantsSnapshot RefList(SnapshotStrings strings, string key, List<string> values)
    {
        var item = new RefWantsSnapshot { Ref = strings.Id(key) };
        strings.AddAll(item.WantIds, values);
        return item;
    }

    private static long Ticks(DateTimeOffset time) => time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    private static DateTimeOffset Time(long ticks) => DateTimeOffset.UnixEpoch.AddTicks(ticks);
}
