using DataBuild.Job;
using PodcastReviews.Json;
using PodcastReviews.Raw;

namespace PodcastReviews.ExtractPodcasts;

/// <summary>Builds <c>podcasts/all</c>: every podcast with its categories, as JSON lines by podcast id.</summary>
public sealed class ExtractPodcastsJob : IDataBuildJob
{
    public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs)
    {
        yield return new RunConfig
        {
            Outputs = refs,
            Inputs = [JobInput.Materialize(Partitions.RawReviews)],
            Env = DataFolder.FromEnvironment().ConfigEnv(),
        };
    }

    public async Task ExecuteAsync(JobRun run, CancellationToken cancellationToken)
    {
        var data = DataFolder.Of(run);
        data.RequireInputs(run);
        using var raw = new RawReviewsReader(data.PathOf(Partitions.RawReviews));
        var podcasts = raw.Podcasts();
        await PartitionFiles.WriteLinesAsync(data.PathOf(Partitions.Podcasts), podcasts, cancellationToken);
        Console.WriteLine($"wrote {Partitions.Podcasts}: {podcasts.Count} podcasts");
    }
}
