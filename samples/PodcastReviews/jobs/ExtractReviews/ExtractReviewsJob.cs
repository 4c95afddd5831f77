using DataBuild.Job;
using PodcastReviews.Json;
using PodcastReviews.Raw;

namespace PodcastReviews.ExtractReviews;

/// <summary>
/// Builds <c>reviews/date={date}</c>: the day's reviews as JSON lines, in time order. All days requested in a
/// wave are batched into one run, which opens the raw database once instead of once per day.
/// </summary>
public sealed class ExtractReviewsJob : IDataBuildJob
{
    public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs)
    {
        yield return new RunConfig
        {
            Outputs = refs.OrderBy(Partitions.DateOfReviews, StringComparer.Ordinal).ToList(),
            Inputs = [JobInput.Materialize(Partitions.RawReviews)],
            Env = DataFolder.FromEnvironment().ConfigEnv(),
        };
    }

    public async Task ExecuteAsync(JobRun run, CancellationToken cancellationToken)
    {
        var data = DataFolder.Of(run);
        data.RequireInputs(run);
        using var raw = new RawReviewsReader(data.PathOf(Partitions.RawReviews));
        foreach (var output in run.Outputs)
        {
            var reviews = raw.ReviewsOn(Partitions.DateOfReviews(output));
            await PartitionFiles.WriteLinesAsync(data.PathOf(output), reviews, cancellationToken);
            Console.WriteLine($"wrote {output}: {reviews.Count} reviews");
        }
    }
}
