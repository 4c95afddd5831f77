using DataBuild.Job;

namespace PodcastReviews;

/// <summary>The partitions of the podcast reviews graph: their patterns, and refs built from their values.</summary>
public static class Partitions
{
    public const string RawReviews = "raw/reviews";

    public const string Podcasts = "podcasts/all";

    public static readonly RefPattern ReviewsPattern = new("reviews/date={date}");

    public static readonly RefPattern CategorizedReviewsPattern = new("categorized_reviews/category={category}/date={date}");

    public static readonly RefPattern PhraseStatsPattern = new("phrase_stats/category={category}/date={date}");

    public static readonly RefPattern DailySummariesPattern = new("daily_summaries/category={category}/date={date}");

    public static string Reviews(string date) => $"reviews/date={date}";

    public static string CategorizedReviews(CategoryDay day) => $"categorized_reviews/category={day.Category}/date={day.Date}";

    public static string PhraseStats(CategoryDay day) => $"phrase_stats/category={day.Category}/date={day.Date}";

    public static string DailySummaries(CategoryDay day) => $"daily_summaries/category={day.Category}/date={day.Date}";

    /// <summary>The date of a <c>reviews/date={date}</c> ref.</summary>
    /// <exception cref="FormatException">The ref does not match, or its date is not a canonical date.</exception>
    public static string DateOfReviews(string partitionRef) => PartitionValues.Date(ReviewsPattern.Captures(partitionRef)["date"]);
}
