using DataBuild.Job;
using PodcastReviews.Json;
using PodcastReviews.Records;

namespace PodcastReviews.CategorizedReviews;

/// <summary>
/// Builds <c>categorized_reviews/category={category}/date={date}</c>: the day's reviews of podcasts listed under
/// the category, with the podcast's title joined in. It reads two upstreams, <c>reviews/date={date}</c> and
/// <c>podcasts/all</c>. One run per day, building every category requested for that day, so days run in parallel.
/// </summary>
public sealed class CategorizedReviewsJob : IDataBuildJob
{
    public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs)
    {
        var env = DataFolder.FromEnvironment().ConfigEnv();
        foreach (var day in refs.GroupBy(DayOf).OrderBy(day => day.Key, StringComparer.Ordinal))
        {
            yield return new RunConfig
            {
                Outputs = day.OrderBy(r => r, StringComparer.Ordinal).ToList(),
                Inputs = [JobInput.Materialize(Partitions.Reviews(day.Key)), JobInput.Materialize(Partitions.Podcasts)],
                Env = env,
            };
        }
    }

    public async Task ExecuteAsync(JobRun run, CancellationToken cancellationToken)
    {
        var data = DataFolder.Of(run);
        data.RequireInputs(run);
        var podcasts = (await PartitionFiles.ReadLinesAsync<Podcast>(data.PathOf(Partitions.Podcasts), cancellationToken))
            .ToDictionary(p => p.PodcastId, StringComparer.Ordinal);
        foreach (var day in run.Outputs.GroupBy(DayOf))
        {
            var reviews = await PartitionFiles.ReadLinesAsync<Review>(data.PathOf(Partitions.Reviews(day.Key)), cancellationToken);
            foreach (var output in day)
            {
                var category = CategoryDay.Of(Partitions.CategorizedReviewsPattern, output).Category;
                var inCategory = InCategory(reviews, podcasts, category);
                await PartitionFiles.WriteLinesAsync(data.PathOf(output), inCategory, cancellationToken);
                Console.WriteLine($"wrote {output}: {inCategory.Count} of the day's {reviews.Count} reviews");
            }
        }
    }

    /// <summary>
    /// The reviews of podcasts listed under <paramref name="category"/>, in the order given. A review of a
    /// podcast missing from <paramref name="podcasts"/> belongs to no category.
    /// </summary>
    public static IReadOnlyList<CategorizedReview> InCategory(IEnumerable<Review> reviews, IReadOnlyDictionary<string, Podcast> podcasts, string category) =>
        reviews
            .Select(review => (Review: review, Podcast: podcasts.GetValueOrDefault(review.PodcastId)))
            .Where(joined => joined.Podcast?.Categories.Contains(category, StringComparer.Ordinal) == true)
            .Select(joined => new CategorizedReview(
                joined.Review.PodcastId, joined.Podcast!.Title, joined.Review.Title, joined.Review.Body, joined.Review.Rating, joined.Review.CreatedAt))
            .ToList();

    private static string DayOf(string partitionRef) => CategoryDay.Of(Partitions.CategorizedReviewsPattern, partitionRef).Date;
}
