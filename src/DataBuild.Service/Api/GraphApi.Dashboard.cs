using DataBuild.Proto;
using DataBuild.Rendering;
using DataBuild.Views;
using Task = System.Threading.Tasks.Task;
using Grpc.Core;

namespace DataBuild.Service.Api;

/// <summary>The routes the dashboard needs beyond the others: the service's graph and a build request's job graph drawn.</summary>
internal sealed partial class GraphApi
{
    public override Task<ServiceInfo> GetServiceInfo(GetServiceInfoRequest request, ServerCallContext context)
    {
        var info = new ServiceInfo
        {
            GraphLabel = graph.Engine.Graph.Label,
            LastIndex = graph.Read(views => views.Cursor),
            Parallelism = graph.Slots.Capacity,
        };
        foreach (var job in graph.Engine.Graph.Jobs)
        {
            var described = new ServiceJob { Label = job.Label };
            described.Outputs.AddRange(job.Outputs.Select(p => p.ToString()));
            info.Jobs.Add(described);
        }
        return Task.FromResult(info);
    }

    public override Task<BuildGraph> GetBuildGraph(GetBuildGraphRequest request, ServerCallContext context)
    {
        var id = ApiErrors.Id(context, "buildRequestId", request.BuildRequestId);
        var known = builds.Get(id) is not null;
        // Read before the views' lock is taken: a long request's events are many.
        var drawn = BuildRequestGraph.Read(graph.Log, id);
        return Task.FromResult(graph.Read(views =>
        {
            if (views.Requests.Get(id) is null && !known) throw ApiErrors.NotFound($"no build request {id}");
            var runs = drawn.Runs(views);
            var statuses = new Dictionary<string, PartitionStatus>(StringComparer.Ordinal);
            PartitionStatus StatusOf(string partitionRef)
            {
                if (!statuses.TryGetValue(partitionRef, out var status))
                    statuses[partitionRef] = status = views.Catalog.Get(partitionRef, graph.Engine.JobIdentities)?.Status ?? PartitionStatus.PartitionUnknown;
                return status;
            }
            var chart = MermaidFlowchart.Render(drawn.Graph, StatusOf, task => runs[task]?.Status ?? JobStatus.JobUnknown);
            var response = new BuildGraph { BuildRequestId = id, Mermaid = drawn.Graph.Nodes.Count > 0 ? chart.Text : "" };
            if (drawn.Graph.Nodes.Count == 0) return response;
            foreach (var node in chart.Nodes)
            {
                var described = new BuildGraphNode { Id = node.Id, StyleClass = node.Class };
                if (node.Task < 0)
                {
                    described.PartitionRef = node.PartitionRef;
                    described.PartitionStatus = StatusOf(node.PartitionRef);
                }
                else
                {
                    var task = drawn.Graph.Nodes[node.Task];
                    described.JobLabel = task.Job.Label;
                    described.Outputs.AddRange(task.Config.Outputs.Select(o => o.Str));
                    if (runs[node.Task] is { } run)
                    {
                        described.JobRunId = run.JobRunId;
                        described.JobStatus = run.Status;
                    }
                }
                response.Nodes.Add(described);
            }
            return response;
        }));
    }
}
