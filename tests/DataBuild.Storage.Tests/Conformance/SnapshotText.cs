using DataBuild.Proto;
using DataBuild.Views;
using Google.Protobuf;

namespace DataBuild.Storage.Tests;

/// <summary>
/// A snapshot written out as text with its strings resolved and the parts that come from hash tables sorted, so two
/// snapshots of the same state compare equal however their tables were filled. The covered event and the string
/// table itself are left out: they say where the state was taken, not what it is. The job runs are every run the views
/// list (<see cref="JobRunsView.All"/>, their history read), since which of them a snapshot keeps at hand depends on
/// the snapshot the reader started from.
/// </summary>
internal static class SnapshotText
{
    public static IReadOnlyList<string> Of(ViewSnapshot snapshot, JobRunsView runs)
    {
        var s = snapshot.Strings;
        string S(int i) => s[i];
        string L(IEnumerable<int> ids) => string.Join(",", ids.Select(S));
        string Sorted(IEnumerable<int> ids) => string.Join(",", ids.Select(S).Order(StringComparer.Ordinal));
        string J(IMessage? m) => m is null ? "-" : JsonFormatter.Default.Format(m);
        var lines = new List<string>();
        void Part(string name, IEnumerable<string> items, bool sort)
        {
            lines.Add($"[{name}]");
            lines.AddRange(sort ? items.Order(StringComparer.Ordinal) : items);
        }
        Part("catalog", snapshot.Catalog.Entries.Select(e =>
            $"{S(e.Ref)} {e.Status} {S(e.BuildRequestId)} {S(e.JobRunId)} {e.LastIndex} {(e.LastBuilt is { } b ? $"{b.Index}/{b.Timestamp}/{S(b.BuildRequestId)}/{S(b.JobRunId)}" : "-")} " +
            $"'{e.Message}' {S(e.BuildingRequestId)} {S(e.BuildingJobRunId)} {J(e.Failures)} {S(e.LastFailedRequestId)} " +
            $"{e.InvalidatedAt} '{e.InvalidationReason}'"), sort: true);
        Part("runs", runs.All.Select(r =>
            $"{r.JobRunId} {r.JobLabel} {r.BuildRequestId} {r.Status} [{string.Join(",", r.Targets)}] {J(r.Config)} {r.Attempt} {r.ExitCode} {r.DurationMs} {r.LogPath} " +
            $"{r.JobVersion} {J(r.Owner)} '{r.Message}' {string.Join(";", r.MissingDeps.Select(J))} {r.ScheduledAt} {r.StartedAt} {r.FinishedAt} {r.FirstIndex} {r.LastIndex} " +
            $"{r.CodeKey} {J(r.Submission)}"), sort: false);
        Part("requests", snapshot.BuildRequests.Requests.Select(r =>
            $"{S(r.BuildRequestId)} {r.Status} [{L(r.RequestedPartitions)}] '{r.Message}' {J(r.Owner)} {r.LeaseExpiresAt} {r.ReceivedAt} {r.FinishedAt} " +
            $"{r.JobsCompleted} {r.JobsFailed} {r.JobsCancelled} {r.JobsMissingDeps} {r.PartitionsDelegated}"), sort: false);
        Part("wants", snapshot.Wants.Wants.Select(w =>
            $"{S(w.WantId)} [{L(w.Partitions)}] {S(w.ParentWantId)} {S(w.RootWantId)} {w.TtlSeconds} {w.SlaSeconds} {w.RequestedBy} {w.Reason} {S(w.BuildRequestId)} " +
            $"{w.Status} {w.CreatedAt} {(w.HasSlaMissedAt ? w.SlaMissedAt : "-")} {w.SlaMissedMessage} {(w.HasEndedAt ? w.EndedAt : "-")} {w.Message}"), sort: false);
        Part("proposals", snapshot.Wants.Proposals.Select(p =>
            $"{S(p.WantId)} {S(p.PartitionRef)} {S(p.ParentWantId)} {S(p.RootWantId)} {S(p.BuildRequestId)} {p.Reason} {(p.HasExpiresAt ? p.ExpiresAt : "-")}"), sort: false);
        Part("active", snapshot.Wants.ActiveByRef.Select(a => $"{S(a.Ref)} [{L(a.WantIds)}]"), sort: true);
        Part("downstream", snapshot.Wants.Downstream.SelectMany(d => d.Edges.Select(e => $"{S(d.BuildRequestId)} {S(e.Ref)} [{L(e.WantIds)}]")), sort: true);
        var v = snapshot.Validator;
        Part("validator requests", v.Requests.Select(r =>
            $"{S(r.BuildRequestId)} {r.Status} [{string.Join(",", r.PartitionRefs.Zip(r.PartitionStatuses, (p, st) => $"{S(p)}={st}").Order(StringComparer.Ordinal))}] " +
            $"[{Sorted(r.Building)}] [{Sorted(r.LiveRuns)}]"), sort: true);
        Part("validator runs", v.Runs.Select(r => $"{S(r.JobRunId)} {S(r.BuildRequestId)} {S(r.JobLabel)} [{Sorted(r.Targets)}] {r.Status}"), sort: true);
        Part("validator building", v.Building.Select(b => $"{S(b.Ref)} {S(b.BuildRequestId)} {S(b.JobRunId)}"), sort: true);
        Part("validator wants", v.Wants.Select(w => $"{S(w.WantId)} {w.Status}"), sort: true);
        Part("validator built", v.BuiltAt.Select(b => $"{S(b.Ref)} {b.Index}"), sort: true);
        Part("skipped", snapshot.Skipped.Select(k => $"{k.Index} {k.EventId} {k.Reason}"), sort: false);
        return lines;
    }
}
