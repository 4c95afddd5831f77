namespace PodcastReviews.Tests;

public sealed class DailySummaryBuildTests : IDisposable
{
    private const string Summary = "daily_summaries/category=comedy/date=2020-01-01";

    private readonly GraphFolder _graph = new();

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void Builds_a_summary_from_nothing_then_builds_nothing_and_without_its_event_log_rebuilds_the_same_bytes()
    {
        var first = _graph.Databuild("build", Summary);

        Assert.True(first.ExitCode == 0, first.ToString());
        IndependentSummary.AssertMatches(_graph.DataFolder, "comedy", "2020-01-01");
        // daily_summaries runs twice: the first run reports the phrase stats it found it needs, the second builds.
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["RawReviews"] = 1, ["ExtractReviews"] = 1, ["ExtractPodcasts"] = 1, ["CategorizedReviews"] = 1, ["PhraseStats"] = 1, ["DailySummaries"] = 2,
            },
            ExecsPerProject());
        Assert.Contains("reported missing dependencies: phrase_stats/category=comedy/date=2020-01-01", first.Stdout);

        _graph.ForgetCalls();
        var second = _graph.Databuild("build", Summary);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("0 job runs", second.Stdout);
        Assert.Empty(_graph.Calls());

        // The data goes too, so every file of the rebuild is written afresh rather than left from the first build.
        var firstOutputs = _graph.DataFiles();
        Directory.Delete(_graph.StateFolder, recursive: true);
        Directory.Move(_graph.DataFolder, _graph.DataFolder + "-first");
        var rebuild = _graph.Databuild("build", Summary);

        Assert.True(rebuild.ExitCode == 0, rebuild.ToString());
        var rebuiltOutputs = _graph.DataFiles();
        Assert.Equal(firstOutputs.Keys, rebuiltOutputs.Keys);
        Assert.All(firstOutputs, file => Assert.True(file.Value.AsSpan().SequenceEqual(rebuiltOutputs[file.Key]), $"{file.Key} differs after the rebuild"));
    }

    private Dictionary<string, int> ExecsPerProject() =>
        _graph.Calls().Where(c => c.Verb == "exec").GroupBy(c => c.Project).ToDictionary(g => g.Key, g => g.Count());
}
