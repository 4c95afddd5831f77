namespace PodcastReviews.Tests;

/// <summary>The sample with every job on Slurm (docs/executors.md), on the cluster scripts/slurm.sh starts (scripts/test.sh does).</summary>
public sealed class SlurmBuildTests : IDisposable
{
    private const string Summary = "daily_summaries/category=comedy/date=2020-01-01";

    private readonly GraphFolder _graph = new();

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void Every_job_on_slurm_builds_the_same_summary_with_the_same_runs_as_locally()
    {
        Assert.True(Environment.GetEnvironmentVariable("SLURM_CONF") is { Length: > 0 },
            "the Slurm tests need a cluster: eval \"$(bash scripts/slurm.sh start)\" first (scripts/test.sh does)");

        var result = _graph.Databuild("build", Summary, "--executor", "slurm");

        Assert.True(result.ExitCode == 0, result.ToString());
        IndependentSummary.AssertMatches(_graph.DataFolder, "comedy", "2020-01-01");
        // The missing dependencies daily_summaries reports from Slurm are built first, as they are locally.
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["RawReviews"] = 1, ["ExtractReviews"] = 1, ["ExtractPodcasts"] = 1, ["CategorizedReviews"] = 1, ["PhraseStats"] = 1, ["DailySummaries"] = 2,
            },
            _graph.Calls().Where(c => c.Verb == "exec").GroupBy(c => c.Project).ToDictionary(g => g.Key, g => g.Count()));
        var logs = Directory.GetFiles(Path.Combine(_graph.StateFolder, "logs"), "*.log");
        Assert.Equal(7, logs.Length);
        Assert.All(logs, log => Assert.Contains("[databuild] submitted to Slurm as job ", File.ReadAllText(log)));
    }
}
