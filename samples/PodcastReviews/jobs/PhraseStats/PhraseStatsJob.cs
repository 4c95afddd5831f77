using DataBuild.Job;
using PodcastReviews.Json;
using PodcastReviews.Records;

namespace PodcastReviews.PhraseStats;

/// <summary>
/// Builds <c>phrase_stats/category={category}/date={date}</c>: the phrases of a category's reviews on a day
/// with their counts (<see cref="PhraseCounter"/>), as JSON lines, most frequent first. Every partition
/// requested in a wave is built by one run: each is a small computation next to starting a process.
/// </summary>
public sealed class PhraseStatsJob : IDataBuildJob
{
    public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs) => [DailyCategoryRun.ForWave(refs, Partitions.PhraseStatsPattern)];

    public async Task ExecuteAsync(JobRun run, CancellationToken cancellationToken)
    {
        var data = DataFolder.Of(run);
        data.RequireInputs(run);
        foreach (var output in run.Outputs)
        {
            var reviews = await PartitionFiles.ReadLinesAsync<CategorizedReview>(data.PathOf(Partitions.CategorizedReviews(DayOf(output))), cancellationToken);
            var phrases = PhraseCounter.Count(reviews.SelectMany(review => new[] { review.Title, review.Body }));
            await PartitionFiles.WriteLinesAsync(data.PathOf(output), phrases, cancellationToken);
            Console.WriteLine($"wrote {output}: {phrases.Count} phrases from {reviews.Count} reviews");
        }
    }

    private static CategoryDay DayOf(string partitionRef) => CategoryDay.Of(Partitions.PhraseStatsPattern, partitionRef);
}
