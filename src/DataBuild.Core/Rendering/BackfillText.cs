using System.Globalization;
using DataBuild.Backfills;
using DataBuild.Proto;

namespace DataBuild.Rendering;

/// <summary>The words for a backfill's progress and result, for the CLI.</summary>
public static class BackfillText
{
    public static string Line(BackfillProgress p) => p.Finished
        ? $"backfill {p.BackfillId[..8]}: chunk {p.Chunk}/{p.Chunks} ended (build request {p.BuildRequestId}): " +
          $"{p.Done} done, {p.Failed} failed, {p.Remaining} remaining{(p.Remaining > 0 && p.EtaSeconds > 0 ? $", about {Duration(p.EtaSeconds)} left" : "")}"
        : $"backfill {p.BackfillId[..8]}: chunk {p.Chunk + 1}/{p.Chunks} starting: {p.Done} done, {p.Failed} failed, {p.Remaining} remaining";

    /// <summary>The summary: how it ended, the counts, then each failure with its run.</summary>
    public static string Summary(BackfillResult r)
    {
        var verdict = r.Status switch
        {
            BackfillStatus.BackfillCompleted => "Backfill completed",
            BackfillStatus.BackfillCancelled => "Backfill stopped; run the same command to resume it",
            _ => "Backfill failed",
        };
        var lines = new List<string>
        {
            $"{verdict}: {r.Partitions} partitions, {r.SkippedAvailable} already available, {r.Built} built, {r.Failures.Count} failed " +
            $"({r.BuildRequestIds.Count} build requests, backfill {r.BackfillId})",
        };
        if (r.Failures.Count > 0) lines.Add("Failed:");
        foreach (var f in r.Failures.Take(50))
            lines.Add($"  {f.Partition}: {(f.JobRunId.Length > 0 ? $"job run {f.JobRunId}: " : "")}{f.Message}");
        if (r.Failures.Count > 50) lines.Add($"  … and {r.Failures.Count - 50} more ('databuild status' lists them)");
        return string.Join('\n', lines);
    }

    /// <summary>Seconds as people read them: 45s, 3m20s, 2h05m.</summary>
    public static string Duration(double seconds)
    {
        var s = (long)Math.Ceiling(seconds);
        return s < 60 ? $"{s}s"
            : s < 3600 ? string.Create(CultureInfo.InvariantCulture, $"{s / 60}m{s % 60:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{s / 3600}h{s % 3600 / 60:00}m");
    }
}
