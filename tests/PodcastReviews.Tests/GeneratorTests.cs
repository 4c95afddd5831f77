using PodcastReviews.RawReviews.Generator;
using PodcastReviews.Records;

namespace PodcastReviews.Tests;

public class GeneratorTests
{
    private static readonly SourceData Sample = ReviewGenerator.Generate(new GeneratorSettings());

    [Fact]
    public void The_same_settings_give_the_same_data()
    {
        var again = ReviewGenerator.Generate(new GeneratorSettings());

        Assert.Equal(Sample.Reviews, again.Reviews);
        Assert.Equal(Describe(Sample), Describe(again));
    }

    [Fact]
    public void The_sample_is_the_same_on_every_machine_and_dotnet_version()
    {
        // Pinned: partitions built anywhere must be byte-identical. Update these only for an intended change.
        Assert.Equal(3349, Sample.Reviews.Count);
        Assert.Equal(
            new Review("20a2a533cd5fa1544d2a442dffc41611", "Obsessed",
                "The hot takes keep me coming back every week. The hosts are funny and the hot takes are the best part. I have learned so much from this show.",
                5, "2020-01-01T00:02:56Z"),
            Sample.Reviews[0]);
    }

    [Fact]
    public void Another_seed_gives_other_reviews()
    {
        var other = ReviewGenerator.Generate(new GeneratorSettings { Seed = 7 });

        Assert.NotEqual(Sample.Reviews, other.Reviews);
    }

    [Fact]
    public void The_sample_has_a_few_thousand_reviews_on_each_of_30_days_from_2020_01_01_in_time_order()
    {
        Assert.InRange(Sample.Reviews.Count, 30 * 90, 30 * 130);
        var days = Sample.Reviews.Select(r => r.CreatedAt[..10]).Distinct().ToList();
        Assert.Equal(Enumerable.Range(0, 30).Select(d => new DateOnly(2020, 1, 1).AddDays(d).ToString("yyyy-MM-dd")), days);
        Assert.All(Sample.Reviews, r => Assert.Matches(@"^2020-01-\d\dT\d\d:\d\d:\d\dZ$", r.CreatedAt));
        Assert.Equal(Sample.Reviews.Select(r => r.CreatedAt).Order(StringComparer.Ordinal), Sample.Reviews.Select(r => r.CreatedAt));
    }

    [Fact]
    public void The_sample_has_eight_categories_of_podcasts_some_listed_under_two()
    {
        var categories = Sample.Podcasts.SelectMany(p => p.Categories).Distinct().Order().ToList();

        Assert.Equal(["business", "comedy", "education", "health-fitness", "news", "sports", "technology", "true-crime"], categories);
        Assert.All(categories, category => Assert.True(Sample.Podcasts.Count(p => p.Categories.Contains(category)) >= 6, category));
        Assert.Contains(Sample.Podcasts, p => p.Categories.Count == 2);
        Assert.Equal(Sample.Podcasts.Count, Sample.Podcasts.Select(p => p.PodcastId).Distinct().Count());
        Assert.All(Sample.Podcasts, p => Assert.Matches("^[0-9a-f]{32}$", p.PodcastId));
    }

    [Fact]
    public void Ratings_are_mostly_five_stars_with_a_tail_of_complaints_like_real_reviews()
    {
        var share = Sample.Reviews.GroupBy(r => r.Rating).ToDictionary(g => g.Key, g => (double)g.Count() / Sample.Reviews.Count);

        Assert.Equal([1, 2, 3, 4, 5], share.Keys.Order());
        Assert.InRange(share[5], 0.5, 0.8);
        Assert.InRange(share[1], 0.03, 0.2);
        Assert.InRange(Sample.Reviews.Average(r => r.Rating), 3.8, 4.6);
    }

    [Fact]
    public void Every_review_has_a_title_and_sentences_that_follow_its_rating_about_a_known_podcast()
    {
        var podcasts = Sample.Podcasts.Select(p => p.PodcastId).ToHashSet();

        Assert.All(Sample.Reviews, review =>
        {
            Assert.Contains(review.PodcastId, podcasts);
            Assert.NotEmpty(review.Title);
            Assert.InRange(review.Body.Count(c => c is '.' or '!'), 2, 4);
            Assert.DoesNotContain("{", review.Body);
        });
        Assert.Contains(Sample.Reviews, r => r.Rating == 5 && r.Body.Contains("Highly recommend this podcast."));
        Assert.DoesNotContain(Sample.Reviews, r => r.Rating == 5 && r.Body.Contains("The audio quality is terrible."));
        Assert.DoesNotContain(Sample.Reviews, r => r.Rating == 1 && r.Body.Contains("Highly recommend this podcast."));
    }

    private static List<string> Describe(SourceData data) =>
        data.Podcasts.Select(p => $"{p.PodcastId} {p.Title} {string.Join(',', p.Categories)}").ToList();
}
