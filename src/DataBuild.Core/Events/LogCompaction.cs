using System.IO.Compression;
using DataBuild.Events.Storage;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Events;

/// <summary>
/// What <see cref="LogCompaction.Run"/> did: the log's first retained index after it, how many events it dropped, and where they went.
/// <see cref="KeptForRequest"/>, when set, is the live build request whose events made it keep more than asked.</summary>
public sealed record CompactionResult(long FirstRetainedIndex, long Dropped, string? Archive, long SnapshotIndex, string? KeptForRequest = null);

/// <summary>A compaction that cannot be done as asked; the message says why and what to do. Nothing was dropped or written.</summary>
public sealed class CompactionRefusedException(string message) : Exception(message);

/// <summary>
/// Retention (docs/event-log.md#compaction): drops the oldest events of a log from its live log once a usable view
/// snapshot holds their effect, after writing them to an archive (JSON lines, gzip-compressed when its name ends in
/// <c>.gz</c>) or discarding them. Never drops past the newest usable snapshot, and always keeps the event the snapshot
/// covers, so the snapshot stays checkable against the log, and the events of every build request still live, which
/// recovering it reads.
/// </summary>
public static class LogCompaction
{
    /// <summary>
    /// Drops the events of <paramref name="log"/> before index <paramref name="before"/>, writing them first to
    /// <paramref name="archivePath"/> (a new file) unless it is null. Appends of other processes go on meanwhile: the
    /// events dropped are all at or below the snapshot, which is committed and never changes.
    /// </summary>
    public static CompactionResult Run(BuildEventLog log, BuildEventViews views, long before, string? archivePath)
    {
        var compaction = Capability(log);
        var mark = compaction.ReadMark();
        var first = mark?.FirstRetainedIndex ?? 1;
        // The snapshot stored now, checked afresh: the one this process started from may have been replaced or deleted since.
        var snapshot = new BuildEventLog(log.Storage, log.Clock).Snapshot
            ?? throw new CompactionRefusedException($"the BEL {log.Storage.Description} has no usable view snapshot, and compaction only drops events a snapshot holds the effect of: write one with `databuild snapshot` first");
        if (before > snapshot.CoveredIndex)
            throw new CompactionRefusedException($"cannot compact the BEL {log.Storage.Description} before event {before}: its newest view snapshot covers event {snapshot.CoveredIndex}, " +
                $"and compaction never drops past it (write a newer one with `databuild snapshot`, or compact before {snapshot.CoveredIndex} at most)");
        var chunks = snapshot.JobRuns?.HistoryChunks ?? [];
        if (new StoredRunHistory(log, snapshot.CoveredIndex, new HashSet<long>()).Problem(chunks, _ => { }) is { } problem)
            throw new CompactionRefusedException($"the view snapshot of {log.Storage.Description} at event {snapshot.CoveredIndex} lists job-run history that cannot be read ({problem}), " +
                "and the events compaction drops are then the only record of those runs: write a whole snapshot with `databuild snapshot` first");
        var keptFor = KeepLiveRequests(log, views, first, ref before);
        if (before <= first) return new CompactionResult(first, 0, mark?.Archive, snapshot.CoveredIndex, keptFor);
        string? archive = null;
        if (archivePath is not null)
        {
            archive = Path.GetFullPath(archivePath);
            WriteArchive(log, first, before, archive);
        }
        try
        {
            compaction.DropBefore(before, first, archive);
        }
        catch (InvalidOperationException e)
        {
            if (archive is not null) File.Delete(archive);
            throw new CompactionRefusedException($"the BEL {log.Storage.Description} was not compacted: {e.Message}");
        }
        return new CompactionResult(before, before - first, archive, snapshot.CoveredIndex, keptFor);
    }

    // A request that is not finished may be recovered (closed by lost-work recovery), which reads its own events.
    private static string? KeepLiveRequests(BuildEventLog log, BuildEventViews views, long first, ref long before)
    {
        views.Refresh(log);
        string? keptFor = null;
        foreach (var request in views.Requests.All.Where(r => !r.IsFinished))
        {
            var page = log.List(first - 1, new EventFilter { BuildRequestIds = { request.BuildRequestId } }, 1);
            if (page.Events.Count == 0 || page.Events[0].Index >= before) continue;
            before = page.Events[0].Index;
            keptFor = request.BuildRequestId;
        }
        return keptFor;
    }

    /// <summary>The first retained index whose event was written at or after <paramref name="cutoff"/> (one past the last event when none was): compacting before it drops exactly the older events.</summary>
    public static long FirstIndexAtOrAfter(BuildEventLog log, DateTimeOffset cutoff)
    {
        var last = (Capability(log).ReadMark()?.FirstRetainedIndex ?? 1) - 1;
        var cutoffNanos = BuildEventLog.UnixNanos(cutoff);
        foreach (var stored in log.ReadAll(last))
        {
            if (stored.Event.Timestamp >= cutoffNanos) return stored.Index;
            last = stored.Index;
        }
        return last + 1;
    }

    private static IEventCompaction Capability(BuildEventLog log) => log.Storage.Compaction
        ?? throw new CompactionRefusedException($"the BEL {log.Storage.Description} does not support compaction: this backend keeps every event");

    // The archive is a new file, written whole under a temporary name and then renamed: a crash leaves no half archive.
    private static void WriteArchive(BuildEventLog log, long first, long before, string archive)
    {
        if (File.Exists(archive) || Directory.Exists(archive))
            throw new CompactionRefusedException($"the archive '{archive}' exists already: name a new file (compaction never overwrites an archive)");
        var folder = Path.GetDirectoryName(archive)!;
        if (!Directory.Exists(folder)) throw new CompactionRefusedException($"the archive's folder '{folder}' does not exist");
        var temporary = Path.Combine(folder, $".{Path.GetFileName(archive)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                var gzip = archive.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true) : null;
                using (gzip)
                {
                    foreach (var stored in log.ReadAll(first - 1))
                    {
                        if (stored.Index >= before) break;
                        JsonLinesRecord.Write((Stream?)gzip ?? file, stored.Index, stored.Index, stored.Event);
                    }
                }
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, archive);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
