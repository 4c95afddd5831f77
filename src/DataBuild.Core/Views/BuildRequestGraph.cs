using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

/// <summary>
/// A build request's job graph as the log has it: the graph recorded at planning, with the tasks added after a
/// run reported missing dependencies, and each task's latest job run in that request (none before it is scheduled).
/// </summary>
public sealed class BuildRequestGraph
{
    private readonly string _buildRequestId;
    private readonly Dictionary<string, int> _tasks = new(StringComparer.Ordinal);

    private BuildRequestGraph(string buildRequestId, JobGraph graph)
    {
        _buildRequestId = buildRequestId;
        Graph = graph;
        for (var i = 0; i < graph.Nodes.Count; i++) _tasks.TryAdd(Key(graph.Nodes[i].Job.Label, graph.Nodes[i].Config.Outputs.Select(o => o.Str)), i);
    }

    /// <summary>The tasks, in the order recorded; empty before the request is planned.</summary>
    public JobGraph Graph { get; }

    /// <summary>Reads the request's graph events from <paramref name="log"/> (no views needed, so no lock is held meanwhile).</summary>
    public static BuildRequestGraph Read(BuildEventLog log, string buildRequestId)
    {
        var graph = new JobGraph();
        var filter = new EventFilter { BuildRequestIds = { buildRequestId } };
        foreach (var stored in log.ReadAll(log.RetainedSince, filter))
        {
            if (stored.Event.EventTypeCase != BuildEvent.EventTypeOneofCase.JobGraphEvent) continue;
            var recorded = stored.Event.JobGraphEvent.JobGraph;
            // The first is planning's, with the requested outputs; later ones add tasks for missing dependencies.
            if (graph.Label is null)
            {
                graph.Label = recorded.Label;
                graph.Outputs.AddRange(recorded.Outputs);
            }
            graph.Nodes.AddRange(recorded.Nodes);
        }
        return new BuildRequestGraph(buildRequestId, graph);
    }

    /// <summary>
    /// Per node of <see cref="Graph"/>, by index: the latest run of that task in the request as <paramref name="views"/>
    /// have it, or null before one is scheduled. A run belongs to a task when it has the task's job and outputs.
    /// </summary>
    public IReadOnlyList<JobRunInfo?> Runs(BuildEventViews views)
    {
        var runs = new JobRunInfo?[Graph.Nodes.Count];
        // In the order first seen, so a retry's later attempt replaces the earlier one.
        foreach (var run in views.Runs.OfRequest(_buildRequestId))
            if (_tasks.TryGetValue(Key(run.JobLabel, run.Targets), out var task))
                runs[task] = run;
        return runs;
    }

    private static string Key(string jobLabel, IEnumerable<string> outputs) =>
        jobLabel + "\n" + string.Join("\n", outputs.Order(StringComparer.Ordinal));
}
