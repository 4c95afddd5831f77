using System.Text;
using DataBuild.Engine;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Rendering;

/// <summary>One node of a drawn flowchart: its Mermaid id, what it stands for and the class it is drawn with.</summary>
/// <param name="Task">For a job node, the index of its task in the job graph's nodes; -1 for a partition.</param>
public sealed record MermaidNode(string Id, string PartitionRef, int Task, string Class);

/// <summary>A flowchart's Mermaid text and its nodes, so a page can recolour a node without drawing it again.</summary>
public sealed record MermaidChart(string Text, IReadOnlyList<MermaidNode> Nodes);

/// <summary>
/// Draws a job graph as a Mermaid flowchart: partitions as rounded nodes coloured by their catalog status, job
/// runs as boxes (coloured by their run's status when there is one), MATERIALIZE inputs as solid edges and QUERY
/// inputs as dotted ones.
/// </summary>
public static class MermaidFlowchart
{
    private static readonly (PartitionStatus Status, string Class, string Style)[] Palette =
    [
        (PartitionStatus.PartitionAvailable, "available", "fill:#d3f9d8,stroke:#2b8a3e"),
        (PartitionStatus.PartitionStale, "stale", "fill:#fff3bf,stroke:#e67700"),
        (PartitionStatus.PartitionBuilding, "building", "fill:#d0ebff,stroke:#1864ab"),
        (PartitionStatus.PartitionFailed, "failed", "fill:#ffe3e3,stroke:#c92a2a"),
        (PartitionStatus.PartitionCancelled, "failed", "fill:#ffe3e3,stroke:#c92a2a"),
        (PartitionStatus.PartitionDelegated, "building", "fill:#d0ebff,stroke:#1864ab"),
    ];

    // A job node of a build: how its latest run stands. Without a run (analysis, or not scheduled yet) it is `job`.
    private static readonly (JobStatus Status, string Class, string Style)[] RunPalette =
    [
        (JobStatus.JobScheduled, "job_scheduled", "fill:#f1f3f5,stroke:#1864ab,stroke-dasharray:3 3"),
        (JobStatus.JobRunning, "job_running", "fill:#d0ebff,stroke:#1864ab,stroke-width:2px"),
        (JobStatus.JobCompleted, "job_completed", "fill:#d3f9d8,stroke:#2b8a3e"),
        (JobStatus.JobFailed, "job_failed", "fill:#ffe3e3,stroke:#c92a2a"),
        (JobStatus.JobCancelled, "job_cancelled", "fill:#ffe3e3,stroke:#c92a2a,stroke-dasharray:3 3"),
        (JobStatus.JobMissingDeps, "job_missing_deps", "fill:#fff3bf,stroke:#e67700"),
    ];

    /// <summary>The class a partition of this status is drawn with (<c>missing</c> when it is not built).</summary>
    public static string ClassOf(PartitionStatus status) => Palette.FirstOrDefault(p => p.Status == status).Class ?? "missing";

    /// <summary>The class a job node whose latest run has this status is drawn with (<c>job</c> without a run).</summary>
    public static string ClassOf(JobStatus status) => RunPalette.FirstOrDefault(p => p.Status == status).Class ?? "job";

    public static string Render(GraphAnalysis analysis, PartitionCatalog? catalog = null, IReadOnlyDictionary<string, JobIdentity>? jobVersions = null) =>
        Render(analysis.ToJobGraph(), r => catalog?.Get(r, jobVersions)?.Status ?? PartitionStatus.PartitionUnknown, runStatus: null).Text;

    /// <summary>
    /// Draws <paramref name="graph"/>: a partition's colour is <paramref name="partitionStatus"/>'s, a job node's the
    /// status <paramref name="runStatus"/> gives for its task (by index in the graph's nodes; JOB_UNKNOWN for none).
    /// With <paramref name="runStatus"/> (a build's graph) every run class is defined, so a page can recolour a node
    /// as its run moves on; without it (an analysis) job nodes are plain <c>job</c>.
    /// </summary>
    public static MermaidChart Render(JobGraph graph, Func<string, PartitionStatus> partitionStatus, Func<int, JobStatus>? runStatus)
    {
        var text = new StringBuilder("flowchart LR\n");
        var nodes = new List<MermaidNode>();
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string PartitionNode(string partitionRef)
        {
            if (ids.TryGetValue(partitionRef, out var id)) return id;
            id = $"p{ids.Count}";
            ids[partitionRef] = id;
            var cssClass = ClassOf(partitionStatus(partitionRef));
            nodes.Add(new MermaidNode(id, partitionRef, -1, cssClass));
            text.Append($"    {id}([\"{Escape(partitionRef)}\"]):::{cssClass}\n");
            return id;
        }

        for (var task = 0; task < graph.Nodes.Count; task++)
        {
            var node = graph.Nodes[task];
            var jobNode = $"j{task}";
            var jobClass = runStatus is null ? "job" : ClassOf(runStatus(task));
            nodes.Add(new MermaidNode(jobNode, "", task, jobClass));
            text.Append($"    {jobNode}[\"{Escape(node.Job.Label)}\"]:::{jobClass}\n");
            // PartitionNode may append the node's definition to `text`, so it runs before an edge's line
            // starts: inside an interpolated Append the definition would land in the middle of that line.
            foreach (var input in node.Config.Inputs)
            {
                var arrow = input.DepType == DepType.Materialize ? "-->" : "-.->";
                var inputNode = PartitionNode(input.PartitionRef.Str);
                text.Append($"    {inputNode} {arrow} {jobNode}\n");
            }
            foreach (var output in node.Config.Outputs)
            {
                var outputNode = PartitionNode(output.Str);
                text.Append($"    {jobNode} --> {outputNode}\n");
            }
        }
        foreach (var requested in graph.Outputs) PartitionNode(requested.Str);
        text.Append("    classDef job fill:#f1f3f5,stroke:#495057\n");
        text.Append("    classDef missing fill:#ffffff,stroke:#868e96,stroke-dasharray:3 3\n");
        foreach (var (_, cssClass, style) in Palette.DistinctBy(p => p.Class)) text.Append($"    classDef {cssClass} {style}\n");
        if (runStatus is not null)
            foreach (var (_, cssClass, style) in RunPalette) text.Append($"    classDef {cssClass} {style}\n");
        return new MermaidChart(text.ToString(), nodes);
    }

    private static string Escape(string text) => text.Replace("\"", "#quot;");
}
