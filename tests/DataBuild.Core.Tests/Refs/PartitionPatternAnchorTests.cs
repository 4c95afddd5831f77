using DataBuild.Refs;

namespace DataBuild.Core.Tests.Refs;

public class PartitionPatternAnchorTests
{
    [Theory]
    [InlineData("reviews/date={date}/part", "reviews/date=2020-01-01/part\n")]
    [InlineData("reviews/*/all", "reviews/x/all\n")]
    [InlineData("reviews/**/all", "reviews/x/y/all\n")]
    public void A_literal_ending_does_not_match_before_a_trailing_newline(string pattern, string text)
    {
        var parsed = PartitionPattern.Parse(pattern);

        Assert.False(parsed.IsMatch(text));
        Assert.Null(parsed.Match(text));
    }
}
