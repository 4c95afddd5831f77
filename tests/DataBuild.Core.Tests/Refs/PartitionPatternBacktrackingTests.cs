using DataBuild.Refs;

namespace DataBuild.Core.Tests.Refs;

public class PartitionPatternBacktrackingTests
{
    // Before patterns with many overlapping wildcards got the non-backtracking engine, each of these ran
    // for hours; the wait only keeps a regression from hanging the whole test run.
    [Theory]
    [InlineData("**a**a**a**a**b")]
    [InlineData("*a*a*a*a*b")]
    [InlineData("{w}a{x}a{y}a{z}b")]
    [InlineData("**/**/**/**/b")]
    [InlineData("**a**b")]
    public async Task A_failing_match_against_a_long_ref_finishes(string pattern)
    {
        var parsed = PartitionPattern.Parse(pattern);
        var longRef = pattern.Contains('/') ? string.Join("/", Enumerable.Repeat("a", 500)) : new string('a', PartitionRefs.MaxLength);

        var matches = await Task.Run(() => parsed.IsMatch(longRef)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(matches);
    }

    [Theory]
    [InlineData("date={y}-{m}-{d}", "date=2020-01-02", "y=2020 m=01 d=02")]
    [InlineData("{a}{b}{c}", "wxyz", "a=wx b=y c=z")]
    [InlineData("**/{dir}/**/{file}", "a/b/c/d", "dir=b file=d")]
    public void Patterns_on_either_engine_capture_greedily_from_the_left(string pattern, string partitionRef, string expected)
    {
        var captures = PartitionPattern.Parse(pattern).Match(partitionRef)!;

        Assert.Equal(expected, string.Join(" ", captures.Select(c => $"{c.Key}={c.Value}")));
    }
}
