using System.Text.Json.Nodes;
using DataBuild.Job;
using PodcastReviews.DailySummaries;
using PodcastReviews.Json;
using PodcastReviews.Records;

namespace PodcastReviews.Tests;

public sealed class DailySummariesJobTests : IDisposable
{
    private static readonly CategoryDay Comedy = new("comedy", "2020-01-01");
    private static readonly CategoryDay News = new("news", "2020-01-01");

    private readonly TempFolder _folder = new();
    private readonly DataFolder _data;

    public DailySummariesJobTests()
    {
        _data = new DataFolder(_folder.Combine("data"));
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task It_reports_phrase_stats_missing_only_for_days_with_reviews_and_writes_nothing()
    {
        await WriteCategorizedAsync(Comedy, 5, 4);
        await WriteCategorizedAsync(News);

        var missing = await Assert.ThrowsAsync<MissingDependenciesException>(() => RunAsync(Comedy, News));

        Assert.Equal([Partitions.PhraseStats(Comedy)], missing.Missing);
        Assert.Equal([Partitions.DailySummaries(Comedy)], missing.Impacted);
        Assert.False(_data.Has(Partitions.DailySummaries(News)));
    }

    [Fact]
    public async Task With_the_phrase_stats_present_it_summarizes_every_day_including_an_empty_one()
    {
        await WriteCategorizedAsync(Comedy, 5, 4);
        await WriteCategorizedAsync(News);
        await PartitionFiles.WriteLinesAsync(_data.PathOf(Partitions.PhraseStats(Comedy)), [new PhraseCount("great show", 2, 2)], CancellationToken.None);

        await RunAsync(Comedy, News);

        var comedy = JsonNode.Parse(await File.ReadAllTextAsync(_data.PathOf(Partitions.DailySummaries(Comedy))))!;
        Assert.Equal((2, 4.5m, "great show"), ((int)comedy["reviewCount"]!, (decimal?)comedy["averageRating"], (string?)comedy["topPhrases"]![0]!["phrase"]));
        var news = JsonNode.Parse(await File.ReadAllTextAsync(_data.PathOf(Partitions.DailySummaries(News))))!;
        Assert.Equal((0, (decimal?)null, 0), ((int)news["reviewCount"]!, (decimal?)news["averageRating"], news["topPhrases"]!.AsArray().Count));
    }

    [Fact]
    public void One_run_builds_every_summary_of_a_wave_from_its_categorized_reviews()
    {
        var configs = new DailySummariesJob().Configure([Partitions.DailySummaries(News), Partitions.DailySummaries(Comedy)]).ToList();

        var config = Assert.Single(configs);
        Assert.Equal([Partitions.DailySummaries(Comedy), Partitions.DailySummaries(News)], config.Outputs);
        Assert.Equal([JobInput.Materialize(Partitions.CategorizedReviews(Comedy)), JobInput.Materialize(Partitions.CategorizedReviews(News))], config.Inputs);
    }

    private Task RunAsync(params CategoryDay[] days)
    {
        var outputs = days.Select(Partitions.DailySummaries).ToList();
        return JobRuns.ExecuteAsync(new DailySummariesJob(), new RunConfig
        {
            Outputs = outputs,
            Inputs = days.Select(day => JobInput.Materialize(Partitions.CategorizedReviews(day))).ToList(),
            Env = _data.ConfigEnv(),
        });
    }

    private Task WriteCategorizedAsync(CategoryDay day, params int[] ratings) =>
        PartitionFiles.WriteLinesAsync(
            _data.PathOf(Partitions.CategorizedReviews(day)),
            ratings.Select((rating, i) => new CategorizedReview("p1", "Improv Island", "Great show", "Great show.", rating, $"{day.Date}T00:00:{i:00}Z")),
            CancellationToken.None);
}
