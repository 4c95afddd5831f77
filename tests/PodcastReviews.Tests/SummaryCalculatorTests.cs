using PodcastReviews.DailySummaries;
using PodcastReviews.Records;

namespace PodcastReviews.Tests;

public class SummaryCalculatorTests
{
    private static readonly CategoryDay Day = new("comedy", "2020-01-01");

    [Fact]
    public void Counts_the_reviews_and_rounds_their_average_rating_half_away_from_zero()
    {
        // 33 / 8 = 4.125 exactly: banker's rounding would give 4.12.
        var summary = SummaryCalculator.Summarize(Day, Reviews(5, 5, 5, 5, 4, 4, 4, 1), [new PhraseCount("great show", 2, 2)]);

        Assert.Equal(8, summary.ReviewCount);
        Assert.Equal(4.13m, summary.AverageRating);
        Assert.Equal("comedy", summary.Category);
        Assert.Equal("2020-01-01", summary.Date);
    }

    [Fact]
    public void The_top_phrases_are_the_five_most_frequent_ties_in_ordinal_order()
    {
        PhraseCount[] phrases =
        [
            new("too many ads", 3, 2), new("great show", 2, 9), new("new favorite", 2, 4), new("five stars", 2, 4),
            new("audio quality", 2, 1), new("can't wait", 2, 9), new("next episode", 2, 3),
        ];

        var summary = SummaryCalculator.Summarize(Day, Reviews(5), phrases);

        Assert.Equal(["can't wait", "great show", "five stars", "new favorite", "next episode"], summary.TopPhrases.Select(p => p.Phrase));
    }

    [Fact]
    public void A_day_without_reviews_has_no_average_and_no_phrases()
    {
        var summary = SummaryCalculator.Summarize(Day, [], [new PhraseCount("great show", 2, 2)]);

        Assert.Equal(0, summary.ReviewCount);
        Assert.Null(summary.AverageRating);
        Assert.Empty(summary.TopPhrases);
    }

    private static List<CategorizedReview> Reviews(params int[] ratings) =>
        ratings.Select((rating, i) => new CategorizedReview("p1", "Improv Island", "Title", "Body.", rating, $"2020-01-01T00:00:{i:00}Z")).ToList();
}
