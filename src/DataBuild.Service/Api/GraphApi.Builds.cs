using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Reports;
using Task = System.Threading.Tasks.Task;
using Grpc.Core;

namespace DataBuild.Service.Api;

internal sealed partial class GraphApi
{
    public override Task<SubmitBuildResponse> SubmitBuild(SubmitBuildRequest request, ServerCallContext context)
    {
        var refs = ApiErrors.Refs(context, "partitions", request.Partitions, graph.Engine, MaxRefsPerRequest);
        Text(context, "requestedBy", request.RequestedBy);
        var id = request.BuildRequestId.Length > 0
            ? ApiErrors.Id(context, "buildRequestId", request.BuildRequestId)
            : Guid.CreateVersion7().ToString();
        if (builds.Get(id) is not null || graph.Read(v => v.Requests.Get(id)) is not null)
            throw new RpcException(new Status(StatusCode.AlreadyExists, $"build request {id} already exists; leave buildRequestId empty for a new one"));
        if (builds.IsStopping) throw new RpcException(new Status(StatusCode.Unavailable, "the service is stopping and takes no new builds"));
        builds.Submit(id, refs, request.Force, !request.HasRebuildStale || request.RebuildStale, request.RequestedBy);
        // Accepted, not done: HTTP callers get 202 and follow the build with GET /api/v1/builds/{id}.
        if (context.GetHttpContext() is { } http && http.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) != true)
            http.Response.OnStarting(() =>
            {
                if (http.Response.StatusCode == StatusCodes.Status200OK) http.Response.StatusCode = StatusCodes.Status202Accepted;
                return Task.CompletedTask;
            });
        return Task.FromResult(new SubmitBuildResponse { BuildRequestId = id });
    }

    public override Task<ListBuildsResponse> ListBuilds(ListBuildsRequest request, ServerCallContext context)
    {
        var size = ApiErrors.PageSize(context, "pageSize", request.PageSize, 50, 1000);
        var before = Paging.Position(context, "pageToken", request.PageToken);
        return Task.FromResult(graph.Read(views =>
        {
            var all = views.Requests.All;
            var response = new ListBuildsResponse();
            var end = Math.Min(before ?? all.Count, all.Count);
            var start = Math.Max(0, end - size);
            for (var i = end - 1; i >= start; i--) response.Builds.Add(ApiMessages.Build(all[i], builds.Get(all[i].BuildRequestId) is not null));
            if (start > 0) response.NextPageToken = Paging.Token(start);
            return response;
        }));
    }

    public override Task<BuildRequestDetail> GetBuild(GetBuildRequest request, ServerCallContext context)
    {
        var id = ApiErrors.Id(context, "buildRequestId", request.BuildRequestId);
        return Task.FromResult(Describe(id));
    }

    public override Task<BuildRequestDetail> CancelBuild(CancelBuildRequest request, ServerCallContext context)
    {
        var id = ApiErrors.Id(context, "buildRequestId", request.BuildRequestId);
        if (!builds.TryCancel(id))
        {
            var known = Describe(id);
            throw ApiErrors.Conflict(known.FinishedAt > 0
                ? $"build request {id} has already ended ({ProtoNames.Of(known.Status)})"
                : $"build request {id} is not running in this service (another process runs it; stop that process to cancel it)");
        }
        return Task.FromResult(Describe(id));
    }

    private BuildRequestDetail Describe(string id)
    {
        var running = builds.Get(id);
        return graph.Read(views =>
        {
            var summary = views.Requests.Get(id);
            if (summary is null)
            {
                // Submitted a moment ago: the engine has not recorded it yet.
                if (running is null) throw ApiErrors.NotFound($"no build request {id}");
                var received = new BuildRequestDetail { BuildRequestId = id, Status = BuildRequestStatus.BuildRequestReceived, RunningInService = true };
                received.RequestedPartitions.AddRange(running.Requested);
                return received;
            }
            var detail = ApiMessages.Build(summary, running is not null);
            foreach (var partition in summary.RequestedPartitions)
                detail.Partitions.Add(views.Catalog.Get(partition, graph.Engine.JobIdentities) is { } state
                    ? DetailMessages.Partition(state, graph.Engine.Lookup, views)
                    : DetailMessages.Unknown(partition, graph.Engine.Lookup));
            foreach (var run in views.Runs.All)
                if (run.BuildRequestId == id) detail.Runs.Add(DetailMessages.Run(run, graph.Workspace));
            return detail;
        });
    }
}
