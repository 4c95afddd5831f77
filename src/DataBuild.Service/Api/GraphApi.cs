using System.Diagnostics;
using DataBuild.Engine;
using DataBuild.Graphs;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;
using Grpc.Core;
using Microsoft.Extensions.Hosting;

namespace DataBuild.Service.Api;

/// <summary>
/// GraphService of databuild_api.proto: each method checks its request, then asks Core. Served over gRPC and,
/// by JSON transcoding, over HTTP/JSON at the routes the proto's annotations name.
/// </summary>
internal sealed partial class GraphApi(GraphState graph, BuildRunner builds, ServiceMetrics metrics, IHostApplicationLifetime lifetime)
    : GraphService.GraphServiceBase
{
    public const int MaxEventsPerPage = 1000;
    public const int MaxWaitSeconds = 60;
    public const int MaxLongPolls = 256;
    public const int MaxRefsPerRequest = 10_000;

    public override async Task<EventPage> ListEvents(ListEventsRequest request, ServerCallContext context)
    {
        if (request.Since < 0) throw ApiErrors.Invalid(context, "since", $"must be 0 or more, got {request.Since}");
        var limit = ApiErrors.PageSize(context, "limit", request.Limit, 100, MaxEventsPerPage);
        if (request.Wait < 0 || request.Wait > MaxWaitSeconds)
            throw ApiErrors.Invalid(context, "wait", $"must be between 0 and {MaxWaitSeconds} seconds, got {request.Wait}");
        var filter = new EventFilter();
        foreach (var (i, r) in request.Partition.Index())
            if (Refs.PartitionRefs.Problem(r) is { } problem) throw ApiErrors.Invalid(context, $"partition[{i}]", $"invalid partition ref: {problem}");
        filter.PartitionRefs.AddRange(ApiErrors.Values(context, "partition", request.Partition));
        filter.PartitionPatterns.AddRange(ApiErrors.Patterns(context, "pattern", request.Pattern));
        filter.JobLabels.AddRange(ApiErrors.Values(context, "job", request.Job));
        filter.JobRunIds.AddRange(ApiErrors.Values(context, "run", request.Run));
        filter.BuildRequestIds.AddRange(ApiErrors.Values(context, "request", request.Request));
        filter.WantIds.AddRange(ApiErrors.Values(context, "want", request.Want));

        var started = Stopwatch.GetTimestamp();
        var storage = graph.Log.Storage;
        // A since-index below a compacted log's retained range is bad input: the answer says from where it can be read.
        EventPage ListFrom(long since)
        {
            try
            {
                return storage.List(since, filter, limit);
            }
            catch (Events.EventsCompactedException e)
            {
                throw ApiErrors.Invalid(context, "since", e.Message);
            }
        }
        var page = ListFrom(request.Since);
        if (page.Events.Count > 0 || request.Wait == 0)
        {
            metrics.Polled(Stopwatch.GetElapsedTime(started));
            return page;
        }
        if (!metrics.TryStartLongPoll(MaxLongPolls))
            throw new RpcException(new Status(StatusCode.ResourceExhausted, $"{MaxLongPolls} long polls are already waiting; try again, or call without wait"));
        try
        {
            // Ends early when the service stops, so a long poll never holds up shutdown.
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
            var deadline = TimeSpan.FromSeconds(request.Wait);
            while (page.Events.Count == 0 && !wait.IsCancellationRequested)
            {
                var left = deadline - Stopwatch.GetElapsedTime(started);
                if (left <= TimeSpan.Zero) break;
                try
                {
                    await storage.WaitForEventsAsync(page.NextSinceIndex, left < Events.EventFollowing.Backstop ? left : Events.EventFollowing.Backstop, wait.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                // From where the empty page ended: nothing between matched, so nothing is skipped.
                page = ListFrom(page.NextSinceIndex);
            }
            metrics.Polled(Stopwatch.GetElapsedTime(started));
            return page;
        }
        finally
        {
            metrics.EndLongPoll();
        }
    }

    public override async Task<JobGraph> Analyze(AnalyzeRequest request, ServerCallContext context)
    {
        var refs = ApiErrors.Refs(context, "partitions", request.Partitions, graph.Engine, MaxRefsPerRequest);
        try
        {
            var analysis = await graph.Engine.AnalyzeAsync(refs, pruneAvailable: null, graph.BuildOptions.Parallelism, context.CancellationToken);
            return analysis.ToJobGraph();
        }
        catch (Exception e) when (e is ConfigureFailedException or GraphCycleException or LookupException)
        {
            throw ApiErrors.Conflict(e.Message);
        }
    }
}
