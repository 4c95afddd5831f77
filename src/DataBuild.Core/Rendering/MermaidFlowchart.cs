using System.Text;
using DataBuild.Engine;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Rendering;

/// <summary>
/// Draws an analysed job graph as a Mermaid flowchart: partitions as rounded nodes coloured by their
/// catalog status, job runs as boxes, MATERIALIZE inputs as solid edges and QUERY inputs as dotted ones.
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

    public static string Render(GraphAnalysis analysis, PartitionCatalog? catalog = null, IReadOnlyDictionary<string, string>? jobVersions = null)
    {
        var text = new StringBuilder("flowchart LR\n");
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        string PartitionNode(string partitionRef)
        {
            if (ids.TryGetValue(partitionRef, out var id)) return id;
            id = $"p{ids.Count}";
            ids[partitionRef] = id;
            var status = catalog?.Get(partitionRef, jobVersions)?.Status ?? PartitionStatus.PartitionUnknown;
            var cssClass = Palette.FirstOrDefault(p => p.Status == status).Class ?? "missing";
            text.Append($"    {id}([\"{Escape(partitionRef)}\"]):::{cssClass}\n");
            return id;
        }

        foreach (var task in analysis.Tasks)
        {
            var jobNode = $"j{task.Id}";
            text.Append($"    {jobNode}[\"{Escape(task.Job.Label)}\"]:::job\n");
            // PartitionNode may append the node's definition to `text`, so it runs before an edge's line
            // starts: inside an interpolated Append the definition would land in the middle of that line.
            foreach (var input in task.Config.Inputs)
            {
                var arrow = input.DepType == DepType.Materialize ? "-->" : "-.->";
                var inputNode = PartitionNode(input.PartitionRef.Str);
                text.Append($"    {inputNode} {arrow} {jobNode}\n");
            }
            foreach (var output in task.Outputs)
            {
                var outputNode = PartitionNode(output);
                text.Append($"    {jobNode} --> {outputNode}\n");
            }
        }
        foreach (var requested in analysis.Requested) PartitionNode(requested);
        text.Append("    classDef job fill:#f1f3f5,stroke:#495057\n");
        text.Append("    classDef missing fill:#ffffff,stroke:#868e96,stroke-dasharray:3 3\n");
        foreach (var (_, cssClass, style) in Palette.DistinctBy(p => p.Class)) text.Append($"    classDef {cssClass} {style}\n");
        return text.ToString();
    }

    private static string Escape(string text) => text.Replace("\"", "#quot;");
}
