using System.Text.Json.Nodes;

namespace DataBuild.Sdk.Tests;

/// <summary>A &lt;DataBuildJob&gt;'s executor metadata (docs/executors.md): to the manifest, or DB0050 at the item.</summary>
public class ExecutorMetadataTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Executor_and_its_slurm_resources_reach_the_manifest()
    {
        _folder.Write("jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        var project = _folder.Write("Graph.csproj", GraphProject.FromSource("""
              <ItemGroup>
                <DataBuildJob Include="train" Command="jobs/ok.sh" Outputs="model/{date}" Executor="slurm" SlurmPartition="debug" Cpus="2" Memory="4G" TimeLimit="00:30:00" />
                <DataBuildJob Include="plain" Command="jobs/ok.sh" Outputs="plain/{date}" />
              </ItemGroup>
            """));

        var result = InProcessMSBuild.Build(project).Succeeded();

        Assert.Empty(result.WarningsOf("DB0014"));
        var jobs = JsonNode.Parse(File.ReadAllText(_folder.Combine("obj", "Debug", "net10.0", "graph.json")))!["jobs"]!.AsArray();
        var executor = jobs.Single(j => j!["label"]!.GetValue<string>() == "train")!["executor"]!;
        Assert.Equal("""{"kind":"slurm","partition":"debug","cpus":2,"memory":"4G","timeLimit":"00:30:00"}""", executor.ToJsonString());
        Assert.Null(jobs.Single(j => j!["label"]!.GetValue<string>() == "plain")!["executor"]);
    }

    [Fact]
    public void An_executor_slurm_would_refuse_is_DB0050_at_the_item()
    {
        _folder.Write("jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        var project = _folder.Write("Graph.csproj", GraphProject.FromSource("""
              <ItemGroup>
                <DataBuildJob Include="a" Command="jobs/ok.sh" Outputs="a/{x}" Executor="kubernetes" />
                <DataBuildJob Include="b" Command="jobs/ok.sh" Outputs="b/{x}" Executor="slurm" Memory="lots" />
              </ItemGroup>
            """));

        var result = InProcessMSBuild.Build(project).Failed();

        Assert.Contains(result.ErrorsOf("DB0050"), e => e.File == project && e.Line > 0 && e.Message.Contains("job 'a': unknown Executor 'kubernetes'; the executors are local, slurm"));
        Assert.Contains(result.ErrorsOf("DB0050"), e => e.File == project && e.Line > 0 && e.Message.Contains("job 'b': Memory: 'lots' is not an amount of memory"));
    }
}
