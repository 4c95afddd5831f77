using System.Diagnostics;
using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Refs;
using DataBuild.Views;

namespace DataBuild.Backfills;

/// <summary>What to backfill: ref templates (ranges and sets), partitions per build request, and the order.</summary>
public sealed record BackfillRequest(IReadOnlyList<string> Templates, int ChunkSize, bool NewestFirst);

/// <summary>A partition the backfill could not build: the run that failed it (empty when an upstream or configure did), and why.</summary>
public sealed record BackfillFailure(string Partition, string JobRunId, string BuildRequestId, string Message);

/// <summary>How a run of a backfill ended.</summary>
/// <param name="SkippedAvailable">Partitions available before this run started, not built again.</param>
/// <param name="Built">Partitions this run built (or another build built for it).</param>
public sealed record BackfillResult(string BackfillId, BackfillStatus Status, int Partitions, int SkippedAvailable, int Built,
    IReadOnlyList<BackfillFailure> Failures, IReadOnlyList<string> BuildRequestIds);

/// <summary>
/// <c>databuild backfill</c> (docs/cli.md#backfill): a large expansion built in chunks, one build request per chunk
/// tagged with the backfill's id, oldest first (by the values of the templates' ranges) or newest first. The id
/// comes from the templates, so the same command resumes a backfill that was stopped: what is available is skipped.
/// </summary>
public static class BackfillRunner
{
    public const int DefaultChunkSize = 10;

    /// <summary>The refs of <paramref name="templates"/>, each once, ordered by their range values (then as written).</summary>
    public static IReadOnlyList<string> Order(IReadOnlyList<string> templates, bool newestFirst)
    {
        _ = RefExpansion.ExpandAll(templates);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var refs = templates.SelectMany(t => RefTemplate.Parse(t).Expand()).Where(e => seen.Add(e.Ref)).ToList();
        var comparer = Comparer<IReadOnlyList<int>>.Create((a, b) =>
        {
            for (var i = 0; i < Math.Min(a.Count, b.Count); i++)
                if (a[i] != b[i]) return newestFirst ? b[i].CompareTo(a[i]) : a[i].CompareTo(b[i]);
            return a.Count.CompareTo(b.Count);
        });
        // OrderBy is stable: refs with the same range values keep the order they were written in.
        return refs.OrderBy(e => e.RangePositions, comparer).Select(e => e.Ref).ToArray();
    }

    /// <summary>
    /// Runs the backfill. Bad input (a malformed template, a ref no job produces) throws before anything is recorded.
    /// Cancelling stops the running chunk as Ctrl-C stops a build; the result is then CANCELLED.
    /// </summary>
    public static async Task<BackfillResult> RunAsync(BuildEngine engine, BackfillRequest request, BuildOptions options,
        IProgress<BackfillProgress>? progress = null, IProgress<BuildProgress>? buildProgress = null, CancellationToken cancellationToken = default)
    {
        if (request.Templates.Count == 0) throw new ArgumentException("no partitions requested: name at least one ref template");
        if (request.ChunkSize < 1) throw new ArgumentException($"--chunk must be at least 1, got {request.ChunkSize}");
        var ordered = Order(request.Templates, request.NewestFirst);
        engine.Lookup.Lookup(ordered);
        var id = WantIds.Backfill(request.Templates);
        var views = new BuildEventViews();
        views.Refresh(engine.Log);
        var presence = engine.NewPresenceCheck(views.Catalog);
        presence.Check(ordered);
        var todo = ordered.Where(r => !engine.IsUpToDate(views.Catalog, r, options.RebuildStale, presence)).ToArray();
        engine.Log.Append(Event(id, BackfillStatus.BackfillStarted, b =>
        {
            b.Templates.AddRange(request.Templates);
            b.Partitions = ordered.Count;
            b.ChunkSize = request.ChunkSize;
            b.NewestFirst = request.NewestFirst;
        }));

        var chunks = todo.Chunk(request.ChunkSize).ToArray();
        var failures = new List<BackfillFailure>();
        var requests = new List<string>();
        var built = 0;
        var cancelled = false;
        var clock = Stopwatch.StartNew();
        var skipped = ordered.Count - todo.Length;
        BackfillProgress Progress(int chunk, bool finished, string buildRequestId)
        {
            var remaining = todo.Length - built - failures.Count;
            var eta = chunk > 0 && finished ? clock.Elapsed.TotalSeconds / chunk * (chunks.Length - chunk) : 0;
            return new BackfillProgress
            {
                BackfillId = id, Chunk = chunk, Chunks = chunks.Length, BuildRequestId = buildRequestId, Finished = finished,
                Done = skipped + built, Failed = failures.Count, Remaining = remaining, EtaSeconds = eta,
            };
        }
        foreach (var (chunk, n) in chunks.Select((c, i) => (c, i + 1)))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                cancelled = true;
                break;
            }
            progress?.Report(Progress(n - 1, false, ""));
            var chunkOptions = options with { BackfillId = id, BuildRequestId = null };
            BuildResult? result = null;
            var problem = "";
            try
            {
                result = await engine.BuildAsync(chunk, chunkOptions, buildProgress, cancellationToken);
                requests.Add(result.BuildRequestId);
            }
            catch (Exception e) when (e is ConfigureFailedException or GraphCycleException or LookupException)
            {
                problem = e.Message;
            }
            views.Refresh(engine.Log);
            cancelled = result?.Status == BuildRequestStatus.BuildRequestCancelled;
            var after = engine.NewPresenceCheck(views.Catalog);
            after.Check(chunk);
            foreach (var partition in chunk)
            {
                if (engine.IsUpToDate(views.Catalog, partition, options.RebuildStale, after)) built++;
                else if (!cancelled) failures.Add(Failure(views, partition, result?.BuildRequestId ?? "", problem));
            }
            progress?.Report(Progress(n, true, result?.BuildRequestId ?? ""));
            if (cancelled) break;
        }
        var status = cancelled ? BackfillStatus.BackfillCancelled
            : failures.Count == 0 ? BackfillStatus.BackfillCompleted : BackfillStatus.BackfillFailed;
        engine.Log.Append(Event(id, status, b =>
        {
            b.Built = skipped + built;
            b.Failed = failures.Count;
            b.Message = cancelled ? "cancelled; run the same command to resume" : failures.Count == 0 ? "" : $"{failures.Count} partitions failed";
        }));
        return new BackfillResult(id, status, ordered.Count, skipped, built, failures, requests);
    }

    private static BackfillFailure Failure(BuildEventViews views, string partition, string buildRequestId, string problem)
    {
        var state = views.Catalog.Get(partition);
        // The catalog names the run behind a failure; a partition failed by its upstream has none.
        var run = state?.JobRunId is { Length: > 0 } runId && views.Runs.Get(runId) is { Status: JobStatus.JobFailed } ? runId : "";
        var message = problem.Length > 0 ? problem : state?.Message is { Length: > 0 } m ? m : "not built";
        return new BackfillFailure(partition, run, buildRequestId, message);
    }

    private static BuildEvent Event(string id, BackfillStatus status, Action<BackfillEvent> details)
    {
        var b = new BackfillEvent { BackfillId = id, Status = status };
        details(b);
        return new BuildEvent { BackfillEvent = b };
    }
}
