using PodcastReviews.Json;
using PodcastReviews.Records;

namespace PodcastReviews.Tests;

public sealed class PartitionFilesTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_summary_is_written_as_indented_json_with_plain_apostrophes_and_newline_line_ends()
    {
        var path = _folder.Combine("daily_summaries/category=comedy/date=2020-01-01");
        var summary = new DailySummary("comedy", "2020-01-01", 3, 4.5m, [new PhraseCount("can't wait", 2, 2)]);

        await PartitionFiles.WriteAsync(path, summary, CancellationToken.None);

        Assert.Equal(
            "{\n  \"category\": \"comedy\",\n  \"date\": \"2020-01-01\",\n  \"reviewCount\": 3,\n  \"averageRating\": 4.5,\n" +
            "  \"topPhrases\": [\n    {\n      \"phrase\": \"can't wait\",\n      \"words\": 2,\n      \"count\": 2\n    }\n  ]\n}\n",
            await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Records_round_trip_through_json_lines_one_per_line()
    {
        var path = _folder.Combine("reviews/date=2020-01-01");
        Review[] reviews =
        [
            new("p1", "Love it!", "The hosts are \"funny\".", 5, "2020-01-01T08:00:00Z"),
            new("p2", "Boring", "Not worth your time.", 1, "2020-01-01T09:00:00Z"),
        ];

        await PartitionFiles.WriteLinesAsync(path, reviews, CancellationToken.None);

        Assert.Equal(2, (await File.ReadAllLinesAsync(path)).Length);
        Assert.Equal(reviews, await PartitionFiles.ReadLinesAsync<Review>(path, CancellationToken.None));
    }
}
