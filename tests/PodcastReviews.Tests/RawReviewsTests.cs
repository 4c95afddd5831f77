using DataBuild.Job;
using Microsoft.Data.Sqlite;
using PodcastReviews.ExtractPodcasts;
using PodcastReviews.ExtractReviews;
using PodcastReviews.Json;
using PodcastReviews.Raw;
using PodcastReviews.RawReviews;
using PodcastReviews.RawReviews.Generator;
using PodcastReviews.Records;

namespace PodcastReviews.Tests;

public sealed class RawReviewsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Each_day_and_every_podcast_read_back_from_the_generated_database_are_the_generators()
    {
        var sample = ReviewGenerator.Generate(new GeneratorSettings());
        await BuildRawAsync(_folder.Combine("data"));

        using var reader = new RawReviewsReader(_folder.Combine("data/raw/reviews"));

        Assert.Equal(sample.Reviews.Where(r => r.CreatedAt.StartsWith("2020-01-02T", StringComparison.Ordinal)), reader.ReviewsOn("2020-01-02"));
        Assert.Empty(reader.ReviewsOn("2019-12-31"));
        Assert.Equal(
            sample.Podcasts.Select(p => $"{p.PodcastId} {p.Title} {string.Join(',', p.Categories)}"),
            reader.Podcasts().Select(p => $"{p.PodcastId} {p.Title} {string.Join(',', p.Categories)}"));
    }

    [Fact]
    public async Task A_raw_database_given_as_the_source_is_copied_byte_for_byte()
    {
        await BuildRawAsync(_folder.Combine("generated"));
        var source = _folder.Combine("source.sqlite");
        File.Copy(_folder.Combine("generated/raw/reviews"), source);

        await BuildRawAsync(_folder.Combine("copied"), source);

        Assert.Equal(await File.ReadAllBytesAsync(_folder.Combine("generated/raw/reviews")), await File.ReadAllBytesAsync(_folder.Combine("copied/raw/reviews")));
    }

    [Fact]
    public async Task A_database_laid_out_like_the_public_data_set_drops_in_as_the_source()
    {
        var source = _folder.Combine("database.sqlite");
        CreatePublicDataSetLookalike(source);
        var data = _folder.Combine("data");

        await BuildRawAsync(data, source);
        await JobRuns.ExecuteAsync(new ExtractReviewsJob(), Config(data, "reviews/date=2018-04-24", Partitions.RawReviews));
        await JobRuns.ExecuteAsync(new ExtractPodcastsJob(), Config(data, Partitions.Podcasts, Partitions.RawReviews));

        Assert.Equal(
            [new Review("a1", "Great!", "Love the banter.", 5, "2018-04-24T12:05:16-07:00"), new Review("b2", "Meh", "Too long.", 2, "2018-04-24T20:00:00-07:00")],
            await PartitionFiles.ReadLinesAsync<Review>(Path.Combine(data, "reviews/date=2018-04-24"), CancellationToken.None));
        var podcasts = await PartitionFiles.ReadLinesAsync<Podcast>(Path.Combine(data, Partitions.Podcasts), CancellationToken.None);
        Assert.Equal(["a1 Laugh Lines comedy,society-culture", "b2 Court Watch true-crime"], podcasts.Select(p => $"{p.PodcastId} {p.Title} {string.Join(',', p.Categories)}"));
    }

    [Fact]
    public async Task A_source_that_does_not_exist_is_an_error_naming_it_and_nothing_is_written()
    {
        var source = _folder.Combine("nowhere.sqlite");

        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => BuildRawAsync(_folder.Combine("data"), source));

        Assert.Contains(source, error.Message);
        Assert.False(File.Exists(_folder.Combine("data/raw/reviews")));
        Assert.False(File.Exists(source));
    }

    private static Task BuildRawAsync(string dataFolder, string? source = null)
    {
        var env = new DataFolder(dataFolder).ConfigEnv();
        if (source is not null) env[RawReviewsJob.SourceVariable] = source;
        return JobRuns.ExecuteAsync(new RawReviewsJob(), new RunConfig { Outputs = [Partitions.RawReviews], Env = env });
    }

    private static RunConfig Config(string dataFolder, string output, string input) => new()
    {
        Outputs = [output],
        Inputs = [JobInput.Materialize(input)],
        Env = new DataFolder(dataFolder).ConfigEnv(),
    };

    // The public podcast reviews database has more columns than the graph reads, and timestamps with offsets.
    private static void CreatePublicDataSetLookalike(string path)
    {
        using var database = new SqliteConnection($"Data Source={path};Pooling=False");
        database.Open();
        using var command = database.CreateCommand();
        command.CommandText = """
            CREATE TABLE podcasts (podcast_id TEXT, itunes_id INTEGER, slug TEXT, itunes_url TEXT, title TEXT);
            CREATE TABLE categories (podcast_id TEXT, itunes_id INTEGER, category TEXT);
            CREATE TABLE reviews (podcast_id TEXT, title TEXT, content TEXT, rating INTEGER, author_id TEXT, created_at TEXT);
            INSERT INTO podcasts VALUES ('b2', 2, 'court-watch', 'https://example.org/2', 'Court Watch'), ('a1', 1, 'laugh-lines', 'https://example.org/1', 'Laugh Lines');
            INSERT INTO categories VALUES ('a1', 1, 'society-culture'), ('b2', 2, 'true-crime'), ('a1', 1, 'comedy');
            INSERT INTO reviews VALUES
              ('b2', 'Meh', 'Too long.', 2, 'x', '2018-04-24T20:00:00-07:00'),
              ('a1', 'Great!', 'Love the banter.', 5, 'y', '2018-04-24T12:05:16-07:00'),
              ('a1', 'Ok', 'Fine.', 3, 'z', '2018-04-25T01:00:00-07:00');
            """;
        command.ExecuteNonQuery();
    }
}
