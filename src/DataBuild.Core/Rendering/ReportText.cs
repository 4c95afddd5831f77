using System.Globalization;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Wants;

namespace DataBuild.Rendering;

/// <summary>
/// The words and tables for what the commands show, from the messages of databuild.proto (the ones --json prints), so
/// a command answering from its own log and one answering from a service (<c>--server</c>) print the same text.
/// </summary>
public static class ReportText
{
    /// <summary>Unix nanoseconds as an ISO 8601 UTC time; empty for zero.</summary>
    public static string Time(long unixNanos) =>
        unixNanos == 0 ? "" : DateTimeOffset.FromUnixTimeMilliseconds(unixNanos / 1_000_000).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Writes rows as left-aligned columns under a header.</summary>
    public static void Table(TextWriter writer, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
            writer.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }

    /// <summary><c>databuild status</c>: one row per partition; <paramref name="selected"/> when the user named refs or globs.</summary>
    public static void Partitions(TextWriter writer, IReadOnlyList<PartitionDetail> partitions, bool selected)
    {
        if (partitions.Count == 0)
        {
            writer.WriteLine(selected ? "No partition matches." : "The event log has no partitions yet.");
            return;
        }
        // The BACKFILL column shows only when a partition shown was built by a backfill (databuild backfill).
        var backfills = partitions.Any(p => p.BackfillId.Length > 0);
        string[] header = backfills ? ["PARTITION", "STATUS", "BUILT AT", "JOB RUN", "BACKFILL", "NOTE"] : ["PARTITION", "STATUS", "BUILT AT", "JOB RUN", "NOTE"];
        Table(writer, header, partitions.Select(p =>
        {
            var row = new List<string> { p.PartitionRef, ProtoNames.Of(p.Status).Replace("PARTITION_", ""), Time(p.LastBuiltAt), p.JobRunId };
            if (backfills) row.Add(p.BackfillId);
            row.Add(p.Status == PartitionStatus.PartitionMissing ? p.Missing
                : p.StaleReason.Length > 0 ? p.StaleReason : p.CompatibleChange.Length > 0 ? p.CompatibleChange : p.Message.Length > 0 ? p.Message
                : p.Status == PartitionStatus.PartitionUnknown ? "never requested" : "");
            return (IReadOnlyList<string>)row;
        }));
    }

    /// <summary><c>databuild runs</c>: one row per job run, latest last.</summary>
    public static void Runs(TextWriter writer, IReadOnlyList<JobRunDetail> runs)
    {
        if (runs.Count == 0)
        {
            writer.WriteLine("No job runs.");
            return;
        }
        // A column for where another system ran them (Slurm's job id) only when some run was handed to one.
        var submitted = runs.Any(r => r.Submission is not null);
        IReadOnlyList<string> header = submitted
            ? ["JOB RUN", "JOB", "STATUS", "ATTEMPT", "EXIT", "SECONDS", "SUBMITTED", "OUTPUTS"]
            : ["JOB RUN", "JOB", "STATUS", "ATTEMPT", "EXIT", "SECONDS", "OUTPUTS"];
        Table(writer, header, runs.Select(r =>
        {
            var row = new List<string>
            {
                r.JobRunId,
                r.JobLabel,
                ProtoNames.Of(r.Status).Replace("JOB_", ""),
                r.Attempt.ToString(CultureInfo.InvariantCulture),
                StateMachines.IsTerminal(r.Status) && r.StartedAt > 0 ? r.ExitCode.ToString(CultureInfo.InvariantCulture) : "",
                r.DurationMs > 0 ? (r.DurationMs / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) : "",
            };
            if (submitted) row.Add(r.Submission is { } s ? $"{s.Kind} {s.ExternalId}" : "");
            row.Add(ListText.FirstAndMore(r.Targets, 1, more: " (+{0})"));
            return (IReadOnlyList<string>)row;
        }));
    }

    /// <summary><c>databuild wants</c>: one row per want, a child indented under its parent at <c>Depth</c>.</summary>
    public static void Wants(TextWriter writer, IReadOnlyList<(WantDetail Want, int Depth)> wants)
    {
        if (wants.Count == 0)
        {
            writer.WriteLine("No wants. 'databuild want <refs…>' makes one.");
            return;
        }
        Table(writer, ["WANT", "STATE", "SLA", "PARTITIONS", "NOTE"], wants.Select(s => (IReadOnlyList<string>)
        [
            (s.Depth == 0 ? "" : new string(' ', 3 * (s.Depth - 1)) + "└─ ") + s.Want.WantId,
            s.Want.State + (s.Want.Failing ? " (failing)" : ""),
            s.Want.Sla.Replace('_', ' '),
            WantRules.Describe(s.Want.Partitions),
            s.Want.Note,
        ]));
    }

    /// <summary>The line (and the lines under it) of one reconcile pass.</summary>
    public static string ReconcilePass(ReconcilePassReport pass)
    {
        var build = pass.BuildError.Length > 0 ? $"build failed before running jobs: {pass.BuildError}"
            : pass.BuildRequestId.Length > 0 ? $"build {pass.BuildRequestId} {Verdict(pass.BuildStatus)} ({pass.JobRuns} job runs) for {Jobs(pass)}"
            : "nothing to build";
        var recorded = new List<string>();
        void Add(WantStatus status, string what)
        {
            if (pass.Recorded.TryGetValue(ProtoNames.Of(status), out var count) && count > 0) recorded.Add($"{count} {what}");
        }
        if (pass.ScheduledWants > 0) recorded.Add($"{pass.ScheduledWants} scheduled");
        Add(WantStatus.WantCreated, "child wants");
        Add(WantStatus.WantSatisfied, "satisfied");
        Add(WantStatus.WantSlaMissed, "SLA missed");
        Add(WantStatus.WantExpired, "expired");
        Add(WantStatus.WantCancelled, "cancelled");
        var line = $"pass {pass.Pass}: {build}; wants: {(recorded.Count > 0 ? string.Join(", ", recorded) : "no change")}, {pass.ActiveWants} active";
        foreach (var (partition, why) in pass.Unbuildable) line += $"\n  cannot build {partition}: {why}";
        foreach (var (partition, retry) in pass.Deferred)
            line += $"\n  waiting to retry {partition}: {retry.FailedBuilds} failed build{(retry.FailedBuilds == 1 ? "" : "s")} in a row, " +
                $"next try after {DateTimeOffset.FromUnixTimeMilliseconds(retry.RetryAt / 1_000_000).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}";
        return line;
    }

    /// <summary><c>databuild verify</c>: the verdict, and a table of the invalid events.</summary>
    public static void Verification(TextWriter writer, LogVerification check)
    {
        if (check.Invalid.Count == 0)
        {
            writer.WriteLine($"{check.Bel}: {check.Events} events, all valid.");
            return;
        }
        writer.WriteLine($"{check.Bel}: {check.Events} events, {check.Invalid.Count} invalid (left out of every view):");
        Table(writer, ["INDEX", "EVENT ID", "REASON"],
            check.Invalid.Select(s => (IReadOnlyList<string>)[s.Index.ToString(CultureInfo.InvariantCulture), s.EventId, s.Reason]));
    }

    /// <summary>How a build ended, for <c>databuild build</c>.</summary>
    public static string BuildSummary(BuildResult result)
    {
        var verdict = result.Succeeded ? "Build succeeded" : $"Build {Verdict(result.Status)}";
        var parts = new List<string> { $"{result.JobRuns} job runs" };
        if (result.AlreadyAvailable > 0) parts.Add($"{result.AlreadyAvailable} requested partitions already available");
        if (result.Delegated > 0) parts.Add($"{result.Delegated} partitions delegated to other builds");
        var line = $"{verdict}: {string.Join(", ", parts)} (build request {result.BuildRequestId})";
        if (result.FailedPartitions.Count > 0) line += $"\nNot built: {string.Join(", ", result.FailedPartitions)}";
        // A build that failed before any partition did (Slurm could not be asked about a dead build's runs) says why.
        else if (result.Status == BuildRequestStatus.BuildRequestFailed && result.Message.Length > 0) line += $"\n{result.Message}";
        return line;
    }

    /// <summary>One line per event of the log: index, time, build request (short), what happened.</summary>
    public static string Event(StoredEvent stored)
    {
        var e = stored.Event;
        var what = e.EventTypeCase switch
        {
            BuildEvent.EventTypeOneofCase.BuildRequestEvent => $"{ProtoNames.Of(e.BuildRequestEvent.Status)} {string.Join(" ", e.BuildRequestEvent.RequestedPartitions.Select(p => p.Str))} {e.BuildRequestEvent.Message}",
            BuildEvent.EventTypeOneofCase.PartitionEvent => $"{ProtoNames.Of(e.PartitionEvent.Status)} {e.PartitionEvent.PartitionRef.Str} {e.PartitionEvent.Message}",
            BuildEvent.EventTypeOneofCase.JobEvent => $"{ProtoNames.Of(e.JobEvent.Status)} {e.JobEvent.JobLabel.Label} run {e.JobEvent.JobRunId} {e.JobEvent.Message}",
            BuildEvent.EventTypeOneofCase.DelegationEvent => $"DELEGATED {e.DelegationEvent.PartitionRef.Str} to build request {e.DelegationEvent.DelegatedToBuildRequestId}",
            BuildEvent.EventTypeOneofCase.JobGraphEvent => $"JOB_GRAPH {e.JobGraphEvent.JobGraph.Nodes.Count} job runs",
            BuildEvent.EventTypeOneofCase.WantEvent => $"{ProtoNames.Of(e.WantEvent.Status)} want {e.WantEvent.WantId} {string.Join(" ", e.WantEvent.Partitions.Select(p => p.Str))} {e.WantEvent.Message}",
            BuildEvent.EventTypeOneofCase.HeartbeatEvent => $"HEARTBEAT {Owners.Describe(e.HeartbeatEvent.Owner)}",
            BuildEvent.EventTypeOneofCase.InvalidationEvent =>
                $"INVALIDATED {string.Join(" ", e.InvalidationEvent.PartitionRefs.Select(p => p.Str))} {e.InvalidationEvent.Reason}",
            BuildEvent.EventTypeOneofCase.UpstreamEvent => $"{ProtoNames.Of(e.UpstreamEvent.Status)} {string.Join(" ", e.UpstreamEvent.PartitionRefs.Select(p => p.Str))} at {e.UpstreamEvent.UpstreamUrl} {e.UpstreamEvent.Message}",
            _ => "(empty event)",
        };
        var request = e.BuildRequestId.Length > 8 ? e.BuildRequestId[^8..] : e.BuildRequestId;
        return $"{stored.Index,8}  {Time(e.Timestamp)}  {request,-8}  {what.TrimEnd()}";
    }

    private static string Verdict(BuildRequestStatus status) =>
        status == BuildRequestStatus.BuildRequestCompleted ? "succeeded" : ProtoNames.Of(status).Replace("BUILD_REQUEST_", "").ToLowerInvariant();

    private static string Jobs(ReconcilePassReport pass) =>
        string.Join("; ", pass.BuildsByJob.Select(job => $"{job.Key}: {WantRules.Describe(job.Value.Partitions)}"));
}
