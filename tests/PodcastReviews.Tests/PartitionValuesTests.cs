namespace PodcastReviews.Tests;

public class PartitionValuesTests
{
    [Theory]
    [InlineData("categorized_reviews/category=true-crime/date=2020-01-31", "true-crime", "2020-01-31")]
    [InlineData("categorized_reviews/category=health-fitness/date=2020-02-29", "health-fitness", "2020-02-29")]
    public void A_category_day_is_read_out_of_a_ref(string partitionRef, string category, string date)
    {
        Assert.Equal(new CategoryDay(category, date), CategoryDay.Of(Partitions.CategorizedReviewsPattern, partitionRef));
    }

    [Theory]
    [InlineData("categorized_reviews/category=comedy/date=2020-1-1")]
    [InlineData("categorized_reviews/category=comedy/date=2021-02-29")]
    [InlineData("categorized_reviews/category=Comedy/date=2020-01-01")]
    [InlineData("categorized_reviews/category=true_crime/date=2020-01-01")]
    [InlineData("phrase_stats/category=comedy/date=2020-01-01")]
    public void Only_one_spelling_of_each_value_is_accepted(string partitionRef)
    {
        Assert.Throws<FormatException>(() => CategoryDay.Of(Partitions.CategorizedReviewsPattern, partitionRef));
    }

    [Fact]
    public void The_next_date_crosses_months_and_years()
    {
        Assert.Equal("2021-01-01", PartitionValues.NextDate("2020-12-31"));
        Assert.Equal("2020-02-29", PartitionValues.NextDate("2020-02-28"));
    }
}
