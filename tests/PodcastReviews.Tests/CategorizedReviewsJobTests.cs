using DataBuild.Job;
using PodcastReviews.CategorizedReviews;
using PodcastReviews.ExtractReviews;
using PodcastReviews.Records;

namespace PodcastReviews.Tests;

public class CategorizedReviewsJobTests
{
    [Fact]
    public void One_run_per_day_joins_that_days_reviews_with_the_podcasts()
    {
        var configs = new CategorizedReviewsJob().Configure(
        [
            "categorized_reviews/category=comedy/date=2020-01-02",
            "categorized_reviews/category=news/date=2020-01-01",
            "categorized_reviews/category=comedy/date=2020-01-01",
        ]).ToList();

        Assert.Equal(2, configs.Count);
        Assert.Equal(["categorized_reviews/category=comedy/date=2020-01-01", "categorized_reviews/category=news/date=2020-01-01"], configs[0].Outputs);
        Assert.Equal([JobInput.Materialize("reviews/date=2020-01-01"), JobInput.Materialize(Partitions.Podcasts)], configs[0].Inputs);
        Assert.Equal(["categorized_reviews/category=comedy/date=2020-01-02"], configs[1].Outputs);
        Assert.Equal([JobInput.Materialize("reviews/date=2020-01-02"), JobInput.Materialize(Partitions.Podcasts)], configs[1].Inputs);
    }

    [Fact]
    public void Extract_reviews_builds_every_day_of_a_wave_in_one_run()
    {
        var config = Assert.Single(new ExtractReviewsJob().Configure(["reviews/date=2020-01-03", "reviews/date=2020-01-01"]));

        Assert.Equal(["reviews/date=2020-01-01", "reviews/date=2020-01-03"], config.Outputs);
        Assert.Equal([JobInput.Materialize(Partitions.RawReviews)], config.Inputs);
    }

    [Fact]
    public void A_review_belongs_to_every_category_of_its_podcast_and_to_none_when_its_podcast_is_unknown()
    {
        var podcasts = new Dictionary<string, Podcast>
        {
            ["p1"] = new("p1", "The Locker Room", ["sports", "comedy"]),
            ["p2"] = new("p2", "Cold Case Files", ["true-crime"]),
        };
        Review[] reviews =
        [
            new("p1", "Funny", "Love it.", 5, "2020-01-01T01:00:00Z"),
            new("p2", "Chilling", "Great research.", 4, "2020-01-01T02:00:00Z"),
            new("p9", "Who?", "Unknown show.", 3, "2020-01-01T03:00:00Z"),
        ];

        Assert.Equal(
            [new CategorizedReview("p1", "The Locker Room", "Funny", "Love it.", 5, "2020-01-01T01:00:00Z")],
            CategorizedReviewsJob.InCategory(reviews, podcasts, "comedy"));
        Assert.Equal(["p1"], CategorizedReviewsJob.InCategory(reviews, podcasts, "sports").Select(r => r.PodcastId));
        Assert.Equal(["p2"], CategorizedReviewsJob.InCategory(reviews, podcasts, "true-crime").Select(r => r.PodcastId));
    }
}
