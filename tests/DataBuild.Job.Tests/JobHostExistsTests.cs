namespace DataBuild.Job.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class JobHostExistsTests
{
    // Its data is in a "store" the graph cannot stat; only the refs in it exist.
    private sealed class StoredJob(params string[] stored) : IDataBuildJob
    {
        public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs) => refs.Select(r => new RunConfig { Outputs = [r] });

        public Task ExecuteAsync(JobRun run, CancellationToken cancellationToken) => Task.CompletedTask;

        public IEnumerable<string> Exists(IReadOnlyList<string> refs)
        {
            Console.WriteLine("asked the store");
            return refs.Where(stored.Contains).Append("not/asked");
        }
    }

    [Fact]
    public void Exists_prints_only_the_asked_refs_the_job_says_exist_one_per_line()
    {
        var result = InProcessJobHost.Run(new StoredJob("a/1", "a/3"), ["exists", "a/1", "a/2", "a/3"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["a/1", "a/3"], result.StdoutLines);
        Assert.Contains("asked the store", result.Stderr);
    }

    [Fact]
    public void By_default_every_ref_exists_and_exists_needs_a_ref()
    {
        var job = new TestJob();
        Assert.Equal(["x/1", "x/2"], InProcessJobHost.Run(job, ["exists", "x/1", "x/2"]).StdoutLines);
        Assert.Equal(2, InProcessJobHost.Run(job, ["exists"]).ExitCode);
    }
}
