using System.Globalization;
using DataBuild.Job;
using PodcastReviews.Json;
using PodcastReviews.Records;

namespace PodcastReviews.DailySummaries;

/// <summary>
/// Builds <c>daily_summaries/category={category}/date={date}</c> (<see cref="SummaryCalculator"/>) as indented
/// JSON, every partition of a wave in one run. Its declared input is the day's categorized reviews. The top
/// phrases come from <c>phrase_stats</c>, needed only for a day that has reviews, which the job learns by
/// reading them: so it discovers that dependency when it runs, reports the absent phrase stats as missing,
/// and the graph builds them and runs it again.
/// </summary>
public sealed class DailySummariesJob : IDataBuildJob
{
    public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs) => [DailyCategoryRun.ForWave(refs, Partitions.DailySummariesPattern)];

    public async Task ExecuteAsync(JobRun run, CancellationToken cancellationToken)
    {
        var data = DataFolder.Of(run);
        data.RequireInputs(run);
        var days = new List<(string Output, CategoryDay Day, IReadOnlyList<CategorizedReview> Reviews)>();
        foreach (var output in run.Outputs)
        {
            var day = DayOf(output);
            days.Add((output, day, await PartitionFiles.ReadLinesAsync<CategorizedReview>(data.PathOf(Partitions.CategorizedReviews(day)), cancellationToken)));
        }
        // Everything absent is reported at once, before anything is written, so one rerun finishes the job.
        var needingPhrases = days.Where(d => d.Reviews.Count > 0 && !data.Has(Partitions.PhraseStats(d.Day))).ToList();
        if (needingPhrases.Count > 0)
            throw new MissingDependenciesException(
                impacted: needingPhrases.Select(d => d.Output).ToList(),
                missing: needingPhrases.Select(d => Partitions.PhraseStats(d.Day)).ToList());
        foreach (var (output, day, reviews) in days)
        {
            var phrases = reviews.Count == 0
                ? []
                : await PartitionFiles.ReadLinesAsync<PhraseCount>(data.PathOf(Partitions.PhraseStats(day)), cancellationToken);
            var summary = SummaryCalculator.Summarize(day, reviews, phrases);
            await PartitionFiles.WriteAsync(data.PathOf(output), summary, cancellationToken);
            Console.WriteLine($"wrote {output}: {summary.ReviewCount} reviews, average rating {summary.AverageRating?.ToString(CultureInfo.InvariantCulture) ?? "none"}");
        }
    }

    private static CategoryDay DayOf(string partitionRef) => CategoryDay.Of(Partitions.DailySummariesPattern, partitionRef);
}
