using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;
using DataBuild.Wants;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataBuild.Service;

/// <summary>
/// <c>databuild reconcile</c>, always on: Core's <see cref="Reconciler"/> runs a pass as soon as the log holds a
/// want created since the last look (it follows the log), and every interval for TTLs, SLAs and retries. A
/// pass waits for its build, so a want made meanwhile gets a pass of its own beside it, up to
/// <see cref="MaxConcurrentPasses"/>; passes are idempotent and their builds delegate to each other, so
/// nothing is built twice.
/// </summary>
public sealed class ReconcileLoop(GraphState graph, ServiceOptions options, ILogger<ReconcileLoop> logger) : BackgroundService
{
    public const int MaxConcurrentPasses = 4;

    private static readonly TimeSpan FollowWait = TimeSpan.FromSeconds(1);

    private readonly Stack<Reconciler> _idle = new();
    private readonly List<Task> _passes = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var storage = graph.Log.Storage;
        // Wants made before the start are the first pass's; only those made after it are followed, from the snapshot on.
        var cursor = graph.Log.Snapshot?.CoveredIndex ?? 0L;
        var lastPass = DateTimeOffset.MinValue;
        var wantsCreated = new EventFilter();
        var wanted = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var (newWants, next) = await Task.Run(() => WantsCreatedSince(cursor, wantsCreated), stoppingToken);
                cursor = next;
                // Kept until a pass can start: with every pass busy, a new want waits for the first to end.
                wanted |= newWants;
                _passes.RemoveAll(p => p.IsCompleted);
                var due = DateTimeOffset.UtcNow - lastPass >= options.ReconcileInterval && _passes.Count == 0;
                if ((wanted || due) && _passes.Count < MaxConcurrentPasses)
                {
                    wanted = false;
                    lastPass = DateTimeOffset.UtcNow;
                    _passes.Add(Task.Run(() => PassAsync(stoppingToken), stoppingToken));
                }
                await storage.WaitForEventsAsync(cursor, FollowWait, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: the passes' builds record their cancellation below.
        }
        await Task.WhenAll(_passes.Select(p => p.ContinueWith(_ => { }, TaskScheduler.Default)));
    }

    // Scans the events since the cursor for a new want; the cursor moves past everything read.
    private (bool NewWants, long Cursor) WantsCreatedSince(long cursor, EventFilter all)
    {
        var found = false;
        while (true)
        {
            var page = graph.Log.Storage.List(cursor, all, 1000);
            found |= page.Events.Any(e => e.Event.WantEvent?.Status == WantStatus.WantCreated);
            cursor = page.NextSinceIndex;
            if (!page.HasMore) return (found, cursor);
        }
    }

    private async Task PassAsync(CancellationToken stoppingToken)
    {
        Reconciler reconciler;
        lock (_idle) reconciler = _idle.Count > 0 ? _idle.Pop() : new Reconciler(graph.Engine, graph.BuildOptions);
        try
        {
            var pass = await reconciler.RunPassAsync(stoppingToken);
            if (pass.Build is { } build)
                logger.LogInformation("reconcile: build {BuildRequestId} ended {Status} ({JobRuns} job runs), {Active} active wants",
                    build.BuildRequestId, build.Status, build.JobRuns, pass.ActiveWants);
            else if (pass.BuildError.Length > 0)
                logger.LogWarning("reconcile: build failed before running jobs: {Error}", pass.BuildError);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "reconcile pass failed; the next one tries again");
        }
        finally
        {
            lock (_idle) _idle.Push(reconciler);
        }
    }
}
