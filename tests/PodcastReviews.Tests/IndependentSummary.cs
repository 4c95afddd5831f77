using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PodcastReviews.Records;
using PodcastReviews.RawReviews.Generator;

namespace PodcastReviews.Tests;

/// <summary>
/// Checks a built daily summary against the generator's output directly, with none of the jobs' code: the
/// reviews of the category's podcasts on the day, their count and average rating, and each top phrase
/// counted afresh in their text.
/// </summary>
public static class IndependentSummary
{
    private static readonly Lazy<SourceData> Source = new(() => ReviewGenerator.Generate(new GeneratorSettings()));

    public static void AssertMatches(string dataFolder, string category, string date)
    {
        var path = Path.Combine(dataFolder, "daily_summaries", $"category={category}", $"date={date}");
        var summary = JsonNode.Parse(File.ReadAllText(path))!;
        var reviews = ReviewsOf(category, date);
        Assert.NotEmpty(reviews);
        Assert.Equal(category, (string?)summary["category"]);
        Assert.Equal(date, (string?)summary["date"]);
        Assert.Equal(reviews.Count, (int)summary["reviewCount"]!);
        Assert.Equal(reviews.Average(r => r.Rating), (double)summary["averageRating"]!, tolerance: 0.005);
        var topPhrases = summary["topPhrases"]!.AsArray();
        Assert.NotEmpty(topPhrases);
        foreach (var phrase in topPhrases)
        {
            var text = (string)phrase!["phrase"]!;
            Assert.Equal(Occurrences(text, reviews), (int)phrase["count"]!);
        }
        var counts = topPhrases.Select(p => (int)p!["count"]!).ToList();
        Assert.Equal(counts.OrderDescending(), counts);
    }

    private static List<Review> ReviewsOf(string category, string date)
    {
        var podcasts = Source.Value.Podcasts.Where(p => p.Categories.Contains(category)).Select(p => p.PodcastId).ToHashSet();
        return Source.Value.Reviews.Where(r => podcasts.Contains(r.PodcastId) && r.CreatedAt.StartsWith(date + "T", StringComparison.Ordinal)).ToList();
    }

    // Whole-word matches in a title or a body, overlapping ones included, ignoring case. Single spaces between
    // the words mean no punctuation in between, as the generator writes single spaces.
    private static int Occurrences(string phrase, IEnumerable<Review> reviews)
    {
        var pattern = new Regex($@"(?=(?<![\w']){Regex.Escape(phrase)}(?![\w']))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        return reviews.Sum(r => pattern.Matches(r.Title).Count + pattern.Matches(r.Body).Count);
    }
}
