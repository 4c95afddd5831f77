namespace DataBuild.Core.Tests;

public class BackoffTests
{
    [Theory]
    [InlineData(1, 50)]
    [InlineData(2, 100)]
    [InlineData(3, 200)]
    [InlineData(5, 800)]
    [InlineData(6, 1000)]
    [InlineData(1000, 1000)]
    public void The_wait_starts_at_the_first_doubles_per_failure_and_stops_at_the_cap(int failures, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1)).After(failures));

    [Fact]
    public void A_first_wait_above_the_cap_is_cut_to_the_cap() =>
        Assert.Equal(TimeSpan.FromSeconds(1), new Backoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)).After(1));
}
