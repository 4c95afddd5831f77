namespace PodcastReviews.Tests;

public sealed class DateRangeBuildTests : IDisposable
{
    private static readonly string[] Categories = ["comedy", "true-crime"];

    private static readonly string[] Dates = ["2020-01-01", "2020-01-02", "2020-01-03"];

    private readonly GraphFolder _graph = new();

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void One_request_for_several_dates_and_categories_configures_each_job_once_with_all_its_refs()
    {
        var summaries = Dates.SelectMany(date => Categories.Select(category => $"daily_summaries/category={category}/date={date}")).ToArray();

        var result = _graph.Databuild(["build", .. summaries]);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var date in Dates)
            foreach (var category in Categories)
                IndependentSummary.AssertMatches(_graph.DataFolder, category, date);
        var configures = _graph.Calls().Where(c => c.Verb == "configure").ToList();
        Assert.Equal(SampleGraph.Jobs.Select(j => j.Project).Order(), configures.Select(c => c.Project).Order());
        Assert.Equal(Dates.Length * Categories.Length, RefsConfigured(configures, "DailySummaries"));
        Assert.Equal(Dates.Length * Categories.Length, RefsConfigured(configures, "CategorizedReviews"));
        Assert.Equal(Dates.Length * Categories.Length, RefsConfigured(configures, "PhraseStats"));
        Assert.Equal(Dates.Length, RefsConfigured(configures, "ExtractReviews"));
        // Batching: one run per day for the join, one run for everything else (daily_summaries twice, as it
        // discovers its phrase stats when it runs).
        Assert.Equal(
            new Dictionary<string, int>
            {
                ["RawReviews"] = 1, ["ExtractReviews"] = 1, ["ExtractPodcasts"] = 1, ["CategorizedReviews"] = Dates.Length, ["PhraseStats"] = 1, ["DailySummaries"] = 2,
            },
            _graph.Calls().Where(c => c.Verb == "exec").GroupBy(c => c.Project).ToDictionary(g => g.Key, g => g.Count()));
    }

    private static int RefsConfigured(IEnumerable<JobCall> configures, string project) => configures.Single(c => c.Project == project).Refs.Count;
}
