using DataBuild.Graphs;

namespace DataBuild.Core.Tests.Graphs;

/// <summary>graph.json's job "executor": read, refused with the field's path when Slurm would refuse it, written back.</summary>
public class JobExecutorManifestTests
{
    private static string Graph(string executor) => $$"""
        { "label": "g",
          "jobs": [ { "label": "a", "command": ["bash", "-c", "echo"], "outputs": ["a/{x}"], "executor": {{executor}} },
                    { "label": "b", "command": ["bash", "-c", "echo"], "outputs": ["b/{x}"] } ] }
        """;

    [Fact]
    public void A_slurm_executor_with_its_resources_is_read_and_written_back_the_same()
    {
        using var folder = new TempFolder();
        folder.Write("graph.json", Graph("""{ "kind": "slurm", "partition": "debug", "cpus": 2, "memory": "4G", "timeLimit": "00:30:00" }"""));

        var manifest = GraphManifest.Load(folder.Path);

        Assert.Equal(new JobExecutor(ExecutorKind.Slurm, "debug", 2, "4G", "00:30:00"), manifest.Jobs[0].Executor);
        Assert.Equal(JobExecutor.Local, manifest.Jobs[1].Executor);
        using var copy = new TempFolder();
        var text = manifest.ToJson();
        copy.Write("graph.json", text);
        Assert.Contains("\"executor\": {", text);
        Assert.Single(text.Split("\"executor\"")[1..]);
        Assert.Equal(manifest.Jobs[0].Executor, GraphManifest.Load(copy.Path).Jobs[0].Executor);
    }

    [Theory]
    [InlineData("""{ "kind": "kubernetes" }""", "$.jobs[0].executor.kind", "unknown executor 'kubernetes'; the executors are local, slurm")]
    [InlineData("""{ "partition": "debug" }""", "$.jobs[0].executor", "the executor has no kind")]
    [InlineData("""{ "kind": "slurm", "cpus": 0 }""", "$.jobs[0].executor.cpus", "cpus must be at least 1, got 0")]
    [InlineData("""{ "kind": "slurm", "memory": "4 GB" }""", "$.jobs[0].executor.memory", "'4 GB' is not an amount of memory")]
    [InlineData("""{ "kind": "slurm", "timeLimit": "half an hour" }""", "$.jobs[0].executor.timeLimit", "'half an hour' is not a Slurm time limit")]
    [InlineData("""{ "kind": "slurm", "partition": "a b" }""", "$.jobs[0].executor.partition", "'a b' is not a Slurm partition name")]
    [InlineData("""{ "kind": "slurm", "nodes": 2 }""", "$.jobs[0].executor.nodes", "unknown field 'nodes'")]
    public void An_executor_slurm_would_refuse_is_refused_naming_the_field(string executor, string path, string problem)
    {
        using var folder = new TempFolder();
        folder.Write("graph.json", Graph(executor));

        var error = Assert.Throws<GraphManifestException>(() => GraphManifest.Load(folder.Path));

        Assert.Contains(path, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("30")]
    [InlineData("30:00")]
    [InlineData("01:30:00")]
    [InlineData("2-12")]
    [InlineData("2-12:30")]
    [InlineData("2-12:30:00")]
    public void Every_time_limit_format_sbatch_takes_is_accepted(string limit) =>
        Assert.Empty(new JobExecutor(ExecutorKind.Slurm, TimeLimit: limit).Problems());
}
