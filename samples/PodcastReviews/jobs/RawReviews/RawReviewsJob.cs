using DataBuild.Job;
using PodcastReviews.RawReviews.Generator;

namespace PodcastReviews.RawReviews;

/// <summary>
/// Builds <c>raw/reviews</c>: the source data ingested into one SQLite file. The source is the database named by
/// <c>PODCAST_SOURCE</c> (any SQLite file with the tables of <see cref="Raw.RawReviewsSchema"/>, such as the
/// public podcast reviews data set), or, when that is unset, the built-in generator's sample data.
/// </summary>
public sealed class RawReviewsJob : IDataBuildJob
{
    public const string SourceVariable = "PODCAST_SOURCE";

    public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs)
    {
        var env = DataFolder.FromEnvironment().ConfigEnv();
        if (Environment.GetEnvironmentVariable(SourceVariable) is { Length: > 0 } source) env[SourceVariable] = Path.GetFullPath(source);
        yield return new RunConfig { Outputs = refs, Env = env };
    }

    public async Task ExecuteAsync(JobRun run, CancellationToken cancellationToken)
    {
        var target = DataFolder.Of(run).PathOf(Partitions.RawReviews);
        if (run.Env.TryGetValue(SourceVariable, out var source))
        {
            await RawReviewsWriter.WriteCopyAsync(target, source, cancellationToken);
            Console.WriteLine($"copied {source} into {Partitions.RawReviews}");
        }
        else
        {
            var data = ReviewGenerator.Generate(new GeneratorSettings());
            await RawReviewsWriter.WriteGeneratedAsync(target, data, cancellationToken);
            Console.WriteLine($"generated {data.Podcasts.Count} podcasts and {data.Reviews.Count} reviews into {Partitions.RawReviews}");
        }
    }
}
