namespace PodcastReviews.Records;

/// <summary>
/// One category on one day: how many reviews, their average rating rounded to two decimals (null without
/// reviews), and the phrases reviewers used most.
/// </summary>
public sealed record DailySummary(string Category, string Date, int ReviewCount, decimal? AverageRating, IReadOnlyList<PhraseCount> TopPhrases);
