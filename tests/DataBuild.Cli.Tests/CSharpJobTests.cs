namespace DataBuild.Cli.Tests;

public class CSharpJobTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void A_csharp_job_built_on_DataBuild_Job_builds_a_chain_of_partitions()
    {
        var exampleDll = Path.Combine(AppContext.BaseDirectory, "DataBuild.Job.Example.dll");
        _graph.WriteGraph(("numbers", ["dotnet", exampleDll], ["numbers/n={n}"], null));
        var data = Path.Combine(_graph.Folder, "numbers-data");

        using var process = _graph.Start("build", "numbers/n=3");
        var result = GraphFixture.Collect(process);

        // The job reads DATA_DIR at configure time: without it configure fails, naming the job.
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("job numbers", result.Stderr);
        Assert.Contains("DATA_DIR", result.Stderr);

        var withData = _graph.RunWithEnvironment(new Dictionary<string, string> { ["DATA_DIR"] = data }, "build", "numbers/n=3");
        Assert.True(withData.ExitCode == 0, withData.ToString());
        Assert.Equal("3", File.ReadAllText(Path.Combine(data, "numbers", "n=3")));
        Assert.Contains("4 job runs", withData.Stdout);
    }
}
