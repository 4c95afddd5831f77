using DataBuild.Job;

namespace PodcastReviews;

/// <summary>
/// How the per-category, per-day jobs that read categorized reviews batch a wave: every requested ref in one
/// run (each is a small computation next to starting a process), each needing its day's categorized reviews.
/// </summary>
public static class DailyCategoryRun
{
    public static RunConfig ForWave(IReadOnlyList<string> refs, RefPattern outputPattern)
    {
        var outputs = refs.OrderBy(r => r, StringComparer.Ordinal).ToList();
        return new RunConfig
        {
            Outputs = outputs,
            Inputs = outputs.Select(r => JobInput.Materialize(Partitions.CategorizedReviews(CategoryDay.Of(outputPattern, r)))).ToList(),
            Env = DataFolder.FromEnvironment().ConfigEnv(),
        };
    }
}
