using DataBuild.Proto;
using DataBuild.Rendering;

namespace DataBuild.Core.Tests.Rendering;

public sealed class MermaidFlowchartTests
{
    private static JobGraph Graph()
    {
        var graph = new JobGraph { Outputs = { new PartitionRef { Str = "b/1" } } };
        var a = new JobConfig { Outputs = { new PartitionRef { Str = "a/1" } } };
        var b = new JobConfig
        {
            Outputs = { new PartitionRef { Str = "b/1" } },
            Inputs =
            {
                new DataDep { DepType = DepType.Materialize, PartitionRef = new PartitionRef { Str = "a/1" } },
                new DataDep { DepType = DepType.Query, PartitionRef = new PartitionRef { Str = "q/\"1\"" } },
            },
        };
        graph.Nodes.Add(new Proto.Task { Job = new JobLabel { Label = "a" }, Config = a });
        graph.Nodes.Add(new Proto.Task { Job = new JobLabel { Label = "b" }, Config = b });
        return graph;
    }

    [Fact]
    public void A_builds_graph_colours_partitions_by_status_and_jobs_by_their_runs_and_names_each_node()
    {
        var statuses = new Dictionary<string, PartitionStatus> { ["a/1"] = PartitionStatus.PartitionAvailable, ["b/1"] = PartitionStatus.PartitionBuilding };
        var chart = MermaidFlowchart.Render(Graph(), r => statuses.GetValueOrDefault(r), task => task == 0 ? JobStatus.JobCompleted : JobStatus.JobRunning);

        Assert.Contains("    j0[\"a\"]:::job_completed\n", chart.Text);
        Assert.Contains("    j1[\"b\"]:::job_running\n", chart.Text);
        Assert.Contains("([\"a/1\"]):::available\n", chart.Text);
        Assert.Contains("([\"b/1\"]):::building\n", chart.Text);
        Assert.Contains("([\"q/#quot;1#quot;\"]):::missing\n", chart.Text);
        Assert.Contains(" -.-> j1\n", chart.Text);
        Assert.Contains("classDef job_failed ", chart.Text);
        Assert.Equal(["j0", "p0", "j1", "p1", "p2"], chart.Nodes.Select(n => n.Id));
        Assert.Equal(("a/1", -1, "available"), chart.Nodes.Where(n => n.Id == "p0").Select(n => (n.PartitionRef, n.Task, n.Class)).Single());
        Assert.Equal((1, "job_running"), chart.Nodes.Where(n => n.Id == "j1").Select(n => (n.Task, n.Class)).Single());
    }

    [Fact]
    public void Without_runs_job_nodes_are_plain_and_no_run_classes_are_defined()
    {
        var chart = MermaidFlowchart.Render(Graph(), _ => PartitionStatus.PartitionUnknown, runStatus: null);
        Assert.Contains("    j0[\"a\"]:::job\n", chart.Text);
        Assert.DoesNotContain("job_", chart.Text);
        Assert.Equal("job", MermaidFlowchart.ClassOf(JobStatus.JobUnknown));
        Assert.Equal("missing", MermaidFlowchart.ClassOf(PartitionStatus.PartitionAnalyzed));
        Assert.Equal("failed", MermaidFlowchart.ClassOf(PartitionStatus.PartitionCancelled));
    }
}
