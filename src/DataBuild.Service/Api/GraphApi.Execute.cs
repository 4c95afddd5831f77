using DataBuild.Engine;
using DataBuild.Proto;
using Grpc.Core;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Service.Api;

internal sealed partial class GraphApi
{
    /// <summary>POST /api/v1/execute: the job graph run as analysed, answered when its build has ended.</summary>
    public override async Task<GraphExecuteResponse> Execute(JobGraph request, ServerCallContext context)
    {
        if (request.Outputs.Count > MaxRefsPerRequest)
            throw ApiErrors.Invalid(context, "outputs", $"at most {MaxRefsPerRequest} partition refs per request, got {request.Outputs.Count}");
        var changes = JobGraphExecution.Changes(request, graph.Engine.Graph, graph.Engine.Lookup);
        if (changes.Count > 0) throw ApiErrors.Conflict(new JobGraphChangedException(changes).Message);
        if (builds.IsStopping) throw new RpcException(new Status(StatusCode.Unavailable, "the service is stopping and takes no new builds"));
        var build = builds.SubmitGraph(Guid.CreateVersion7().ToString(), request);
        var result = await build.Done.WaitAsync(context.CancellationToken);
        return graph.Read(views =>
        {
            var response = new GraphExecuteResponse { Result = result };
            response.Manifests.AddRange(JobGraphExecution.Manifests(graph.Log, views, result));
            return response;
        });
    }
}
