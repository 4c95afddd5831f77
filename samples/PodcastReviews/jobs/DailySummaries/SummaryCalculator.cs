using PodcastReviews.Records;

namespace PodcastReviews.DailySummaries;

/// <summary>What a daily summary says about a category's reviews on a day.</summary>
public static class SummaryCalculator
{
    public const int TopPhraseCount = 5;

    /// <param name="phrases">The phrase counts of the same reviews; unused, and may be empty, when there are no reviews.</param>
    public static DailySummary Summarize(CategoryDay day, IReadOnlyList<CategorizedReview> reviews, IReadOnlyList<PhraseCount> phrases)
    {
        // Decimal, so the rounding is exact and the file the same on every machine.
        decimal? average = reviews.Count == 0
            ? null
            : Math.Round((decimal)reviews.Sum(r => r.Rating) / reviews.Count, 2, MidpointRounding.AwayFromZero);
        var top = reviews.Count == 0
            ? []
            : phrases.OrderByDescending(p => p.Count).ThenBy(p => p.Phrase, StringComparer.Ordinal).Take(TopPhraseCount).ToList();
        return new DailySummary(day.Category, day.Date, reviews.Count, average, top);
    }
}
