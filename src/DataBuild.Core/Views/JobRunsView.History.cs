using System.Data.Common;
using DataBuild.Events;
using DataBuild.Proto;
using Google.Protobuf;

namespace DataBuild.Views;

// The history of a snapshot's runs (docs/event-log.md#snapshots): read in whole on the first listing that needs it,
// never by a build. When a chunk is lost the runs come from the log, and the next snapshot starts a new history.
public sealed partial class JobRunsView
{
    private readonly List<string> _historyChunks = [];
    private StoredRunHistory? _history;

    // Reads the history in, once; true when it did so now.
    private bool ReadHistory()
    {
        if (_history is not { } source) return false;
        _history = null;
        var (runs, intact) = source.Read(_historyChunks, Strings);
        if (!intact)
        {
            // The list cannot be trusted: the next snapshot writes every retired run in a chunk of its own.
            _historyChunks.Clear();
            foreach (var run in _ordered) run.InHistory = false;
        }
        foreach (var run in runs)
        {
            run.InHistory = intact;
            if (_runs.TryAdd(run.JobRunId, run)) _ordered.Add(run);
        }
        _ordered.Sort((a, b) => a.FirstIndex.CompareTo(b.FirstIndex));
        IndexAllReads();
        return true;
    }

    // The readers' index in the order runs completed (a completed run's last event is its completion).
    private void IndexAllReads()
    {
        _readers.Clear();
        foreach (var run in _ordered.Where(r => r.Status == JobStatus.JobCompleted).OrderBy(r => r.LastIndex)) IndexReads(run, run.Status);
    }

    internal static IEnumerable<JobRunInfo> FromHistory(JobRunHistory history, StringPool pool)
    {
        var strings = SnapshotStrings.ForReading(history.Strings, pool);
        return history.Runs.Select(item => FromItem(item, strings));
    }
}

/// <summary>The history chunks of the snapshot at <paramref name="coveredIndex"/> in <paramref name="log"/>'s store.</summary>
internal sealed class StoredRunHistory(BuildEventLog log, long coveredIndex, IReadOnlySet<long> skipped)
{
    /// <summary>
    /// The runs of <paramref name="chunks"/>, with <c>Intact</c> true; when one cannot be read, every run the log's
    /// events up to the snapshot make instead (with a warning), and <c>Intact</c> false. Their strings are <paramref name="pool"/>'s.
    /// </summary>
    public (IReadOnlyList<JobRunInfo> Runs, bool Intact) Read(IReadOnlyList<string> chunks, StringPool pool)
    {
        var runs = new List<JobRunInfo>();
        if (Problem(chunks, history => runs.AddRange(JobRunsView.FromHistory(history, pool))) is not { } problem) return (runs, true);
        log.Warn($"could not read the job-run history of the view snapshot of {log.Storage.Description} at event {coveredIndex} ({problem}); reading those runs from the log instead");
        return (Fold(pool), false);
    }

    /// <summary>Why <paramref name="chunks"/> cannot be read (one is missing or damaged), or null when each was read into <paramref name="read"/>.</summary>
    public string? Problem(IReadOnlyList<string> chunks, Action<JobRunHistory> read)
    {
        try
        {
            foreach (var chunk in chunks)
            {
                var bytes = log.Storage.Snapshots?.ReadHistory(chunk) ?? throw new InvalidDataException($"its history chunk {chunk} is missing");
                var history = JobRunHistory.Parser.ParseFrom(bytes);
                if (history.ChunkId != chunk) throw new InvalidDataException($"its history chunk {chunk} holds chunk '{history.ChunkId}'");
                read(history);
            }
            return null;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidProtocolBufferException or IOException or DbException or UnauthorizedAccessException or TimeoutException)
        {
            return e.Message.TrimEnd('.');
        }
    }

    // Every run of the events the snapshot covers, as a full fold makes them (refused events left out).
    private IReadOnlyList<JobRunInfo> Fold(StringPool pool)
    {
        var since = log.RetainedSince;
        if (since > 0) log.Warn($"the log {log.Storage.Description} was compacted up to event {since}: the runs of the events before it are not listed");
        var view = new JobRunsView { Strings = pool };
        foreach (var stored in log.ReadAll(since))
        {
            if (stored.Index > coveredIndex) break;
            if (!skipped.Contains(stored.Index)) view.Apply(stored);
        }
        return view.Loaded;
    }
}
