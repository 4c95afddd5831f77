using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

/// <summary>A want as its events describe it.</summary>
public sealed class WantInfo(string wantId)
{
    public string WantId { get; } = wantId;
    public IReadOnlyList<string> Partitions { get; internal set; } = [];
    public string ParentWantId { get; internal set; } = "";
    public string RootWantId { get; internal set; } = "";
    public long TtlSeconds { get; internal set; }
    public long SlaSeconds { get; internal set; }
    public string RequestedBy { get; internal set; } = "";
    public string Reason { get; internal set; } = "";
    /// <summary>For a child want, the build request whose job reported its partition missing.</summary>
    public string BuildRequestId { get; internal set; } = "";
    /// <summary>CREATED while active, then SATISFIED, EXPIRED or CANCELLED; SLA_MISSED is kept apart, in <see cref="SlaMissedAt"/>.</summary>
    public WantStatus Status { get; internal set; }
    public DateTimeOffset CreatedAt { get; internal set; }
    public DateTimeOffset? SlaMissedAt { get; internal set; }
    public string SlaMissedMessage { get; internal set; } = "";
    public DateTimeOffset? EndedAt { get; internal set; }
    /// <summary>Why it ended, as the reconciler or the user said.</summary>
    public string Message { get; internal set; } = "";

    public bool IsActive => StateMachines.IsActive(Status);
    public DateTimeOffset? ExpiresAt => TtlSeconds > 0 ? CreatedAt.AddSeconds(TtlSeconds) : null;
    public DateTimeOffset? SlaDeadline => SlaSeconds > 0 ? CreatedAt.AddSeconds(SlaSeconds) : null;
}

/// <summary>
/// A want the log implies but does not hold yet: a job reported <see cref="PartitionRef"/> missing while
/// building for an active want, so a child want of it is due. The reconciler records these.
/// </summary>
public sealed record ChildWantProposal(
    string WantId,
    string PartitionRef,
    string ParentWantId,
    string RootWantId,
    string BuildRequestId,
    string Reason,
    DateTimeOffset? ExpiresAt);

/// <summary>
/// Reducer: every want, in the order created, and the child wants that missing-dependency reports call for.
/// A report names the refs a job run could not build (impacted) and the refs it lacked (missing). The
/// wants it concerns are the active wants nearest downstream of an impacted ref in that build's job graph:
/// the want for the ref itself, else the wants the ref was being built for. Each gets one child want per
/// missing ref. Proposals are derived in log order as a fold, so every reader, and a restarted reconciler,
/// derives the same ones.
/// </summary>
public sealed partial class WantsView
{
    private readonly Dictionary<string, WantInfo> _wants = new(StringComparer.Ordinal);
    private readonly List<WantInfo> _ordered = [];
    private readonly Dictionary<string, List<WantInfo>> _children = new(StringComparer.Ordinal);
    // Kept in the order derived, which puts every parent before its children.
    private readonly List<ChildWantProposal> _proposals = [];
    // Active wants, recorded or proposed, by the refs they want: whom a missing-dependency report concerns.
    private readonly Dictionary<string, List<string>> _activeByRef = new(StringComparer.Ordinal);
    // Per live build request: each ref to the refs built from it (job graph inputs, reported missing deps).
    private readonly Dictionary<string, Dictionary<string, List<string>>> _downstream = new(StringComparer.Ordinal);

    /// <summary>The pool of the ids and refs the wants keep (<see cref="JobRunsView.Strings"/>).</summary>
    internal StringPool Strings { get; init; } = new();

    public IReadOnlyList<WantInfo> All => _ordered;

    public IEnumerable<WantInfo> Active => _ordered.Where(w => w.IsActive);

    public WantInfo? Get(string wantId) => _wants.GetValueOrDefault(wantId);

    /// <summary>The recorded wants whose parent is <paramref name="wantId"/>, in the order created.</summary>
    public IReadOnlyList<WantInfo> ChildrenOf(string wantId) => _children.TryGetValue(wantId, out var children) ? children : [];

    /// <summary>Child wants due but not recorded yet, parents before children.</summary>
    public IReadOnlyList<ChildWantProposal> Proposals => _proposals;

    internal void Apply(StoredEvent stored)
    {
        var e = stored.Event;
        switch (e.EventTypeCase)
        {
            case BuildEvent.EventTypeOneofCase.WantEvent:
                ApplyWant(e.WantEvent, e.BuildRequestId, BuildEventLog.FromUnixNanos(e.Timestamp));
                break;
            case BuildEvent.EventTypeOneofCase.JobGraphEvent:
                foreach (var node in e.JobGraphEvent.JobGraph.Nodes)
                    foreach (var input in node.Config.Inputs.Where(i => i.DepType == DepType.Materialize))
                        foreach (var output in node.Config.Outputs)
                            AddEdge(e.BuildRequestId, input.PartitionRef.Str, output.Str);
                break;
            case BuildEvent.EventTypeOneofCase.JobEvent when e.JobEvent.Status == JobStatus.JobMissingDeps:
                ApplyMissingDeps(e.BuildRequestId, e.JobEvent);
                break;
            case BuildEvent.EventTypeOneofCase.BuildRequestEvent when StateMachines.IsTerminal(e.BuildRequestEvent.Status):
                _downstream.Remove(e.BuildRequestId);
                break;
        }
    }

    private void ApplyWant(WantEvent w, string buildRequestId, DateTimeOffset at)
    {
        if (w.Status == WantStatus.WantCreated)
        {
            var wantId = Strings.Intern(w.WantId);
            var want = new WantInfo(wantId)
            {
                Partitions = Strings.Intern(w.Partitions),
                ParentWantId = Strings.Intern(w.ParentWantId),
                RootWantId = w.RootWantId.Length > 0 ? Strings.Intern(w.RootWantId) : wantId,
                TtlSeconds = w.TtlSeconds,
                SlaSeconds = w.SlaSeconds,
                RequestedBy = w.RequestedBy,
                Reason = w.Reason,
                BuildRequestId = Strings.Intern(buildRequestId),
                Status = WantStatus.WantCreated,
                CreatedAt = at,
            };
            _wants[want.WantId] = want;
            _ordered.Add(want);
            if (want.ParentWantId.Length > 0)
            {
                if (!_children.TryGetValue(want.ParentWantId, out var siblings)) _children[want.ParentWantId] = siblings = [];
                siblings.Add(want);
            }
            _proposals.RemoveAll(p => p.WantId == want.WantId);
            foreach (var partition in want.Partitions) MarkActive(partition, want.WantId);
            return;
        }
        if (!_wants.TryGetValue(w.WantId, out var existing)) return;
        if (w.Status == WantStatus.WantSlaMissed)
        {
            existing.SlaMissedAt = at;
            existing.SlaMissedMessage = w.Message;
            return;
        }
        existing.Status = w.Status;
        existing.EndedAt = at;
        existing.Message = w.Message;
        foreach (var partition in existing.Partitions) Unmark(partition, existing.WantId);
        DropProposalsUnder(existing.WantId);
    }

    private void ApplyMissingDeps(string buildRequestId, JobEvent job)
    {
        foreach (var report in job.MissingDeps)
        {
            foreach (var missing in report.Missing)
                foreach (var impacted in report.Impacted)
                    AddEdge(buildRequestId, missing.Str, impacted.Str);
            foreach (var impacted in report.Impacted)
            {
                foreach (var parentId in WantsNeeding(buildRequestId, impacted.Str))
                    foreach (var missing in report.Missing) Propose(parentId, missing.Str, buildRequestId, job, impacted.Str);
            }
        }
    }

    private void Propose(string parentId, string partitionRef, string buildRequestId, JobEvent job, string impacted)
    {
        var id = WantIds.Child(parentId, partitionRef);
        if (_wants.ContainsKey(id) || _proposals.Exists(p => p.WantId == id)) return;
        var (root, expires) = _wants.TryGetValue(parentId, out var parent)
            ? (parent.RootWantId, parent.ExpiresAt)
            : _proposals.Where(p => p.WantId == parentId).Select(p => (p.RootWantId, p.ExpiresAt)).Single();
        var reason = $"job {job.JobLabel.Label} reported it missing while building {impacted} (job run {job.JobRunId})";
        _proposals.Add(new ChildWantProposal(id, partitionRef, parentId, root, buildRequestId, reason, expires));
        MarkActive(partitionRef, id);
    }

    // The active wants nearest downstream of `partitionRef` in the build's graph, the ref itself first.
    private List<string> WantsNeeding(string buildRequestId, string partitionRef)
    {
        var found = new List<string>();
        var edges = _downstream.GetValueOrDefault(buildRequestId);
        var seen = new HashSet<string>(StringComparer.Ordinal) { partitionRef };
        var queue = new Queue<string>([partitionRef]);
        while (queue.TryDequeue(out var current))
        {
            if (_activeByRef.TryGetValue(current, out var wants))
            {
                found.AddRange(wants.Where(w => !found.Contains(w)));
                continue;
            }
            foreach (var next in edges?.GetValueOrDefault(current) ?? [])
                if (seen.Add(next)) queue.Enqueue(next);
        }
        return found;
    }

    private void DropProposalsUnder(string wantId)
    {
        foreach (var orphan in _proposals.Where(p => p.ParentWantId == wantId).ToArray())
        {
            _proposals.Remove(orphan);
            Unmark(orphan.PartitionRef, orphan.WantId);
            DropProposalsUnder(orphan.WantId);
        }
    }

    private void AddEdge(string buildRequestId, string from, string to)
    {
        if (buildRequestId.Length == 0) return;
        if (!_downstream.TryGetValue(buildRequestId, out var edges)) _downstream[buildRequestId] = edges = new(StringComparer.Ordinal);
        if (!edges.TryGetValue(from, out var targets)) edges[from] = targets = [];
        if (!targets.Contains(to)) targets.Add(to);
    }

    private void MarkActive(string partitionRef, string wantId)
    {
        if (!_activeByRef.TryGetValue(partitionRef, out var wants)) _activeByRef[partitionRef] = wants = [];
        if (!wants.Contains(wantId)) wants.Add(wantId);
    }

    private void Unmark(string partitionRef, string wantId)
    {
        if (!_activeByRef.TryGetValue(partitionRef, out var wants)) return;
        wants.Remove(wantId);
        if (wants.Count == 0) _activeByRef.Remove(partitionRef);
    }
}
