namespace DataBuild.Job.Tests;

public sealed class RefPatternTests
{
    [Fact]
    public void Captures_returns_each_named_value()
    {
        var pattern = new RefPattern("daily_summaries/category={category}/date={date}");

        var captures = pattern.Captures("daily_summaries/category=comedy/date=2020-01-01");

        Assert.Equal("comedy", captures["category"]);
        Assert.Equal("2020-01-01", captures["date"]);
        Assert.Equal(2, captures.Count);
    }

    [Theory]
    [InlineData("reviews/date={date}", "reviews/date=2020-01-01", true)]
    [InlineData("reviews/date={date}", "reviews/date=", false)]
    [InlineData("reviews/date={date}", "reviews/date=2020/01", false)]
    [InlineData("logs/*/day={day}", "logs/web/day=1", true)]
    [InlineData("logs/*/day={day}", "logs//day=1", true)]
    [InlineData("logs/*/day={day}", "logs/web/eu/day=1", false)]
    [InlineData("logs/**", "logs/web/eu/day=1", true)]
    [InlineData("a.b+c", "a.b+c", true)]
    [InlineData("a.b+c", "aXbbc", false)]
    [InlineData("reviews", "reviews/date=1", false)]
    [InlineData("a*b", "ab\n", false)]
    [InlineData("logs/**", "logs/a\nb", true)]
    public void IsMatch_follows_the_pattern_syntax(string pattern, string partitionRef, bool matches)
    {
        Assert.Equal(matches, new RefPattern(pattern).IsMatch(partitionRef));
    }

    [Fact]
    public void Captures_of_a_ref_that_does_not_match_names_the_ref_and_the_pattern()
    {
        var error = Assert.Throws<FormatException>(() => new RefPattern("reviews/date={date}").Captures("podcasts/all"));

        Assert.Contains("podcasts/all", error.Message);
        Assert.Contains("reviews/date={date}", error.Message);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("reviews/date={date", "never closed")]
    [InlineData("reviews/date=date}", "no opening")]
    [InlineData("reviews/date={}", "capture name")]
    [InlineData("reviews/date={1st}", "capture name")]
    [InlineData("{x}/{x}", "appears twice")]
    public void An_invalid_pattern_is_refused_with_the_reason(string pattern, string reason)
    {
        var error = Assert.Throws<FormatException>(() => new RefPattern(pattern));

        Assert.Contains(reason, error.Message);
    }
}
