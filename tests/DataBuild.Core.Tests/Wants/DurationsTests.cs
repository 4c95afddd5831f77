using DataBuild.Wants;

namespace DataBuild.Core.Tests.Wants;

public class DurationsTests
{
    [Theory]
    [InlineData("45s", 45)]
    [InlineData("30m", 30 * 60)]
    [InlineData("6h", 6 * 3600)]
    [InlineData("7d", 7 * 86400)]
    [InlineData("1h30m", 5400)]
    public void Reads_whole_numbers_with_units(string text, long seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text, "--ttl"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("7x")]
    [InlineData("-1h")]
    [InlineData("1.5h")]
    [InlineData("6 h")]
    [InlineData("h")]
    public void Refuses_what_is_not_a_duration_naming_the_option(string text)
    {
        var error = Assert.Throws<FormatException>(() => Durations.Parse(text, "--sla"));
        Assert.Contains($"--sla '{text}' is not a duration", error.Message);
        Assert.Contains("e.g. 45s, 30m, 6h, 7d", error.Message);
    }

    [Fact]
    public void Refuses_zero_and_centuries()
    {
        Assert.Contains("longer than zero", Assert.Throws<FormatException>(() => Durations.Parse("0s", "--ttl")).Message);
        Assert.Contains("longer than 36500d", Assert.Throws<FormatException>(() => Durations.Parse("36501d", "--ttl")).Message);
        Assert.Contains("longer than 36500d", Assert.Throws<FormatException>(() => Durations.Parse("999999999d", "--ttl")).Message);
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(5400, "1h30m")]
    [InlineData(7 * 86400, "7d")]
    [InlineData(90061, "1d1h1m1s")]
    public void Formats_what_it_reads(long seconds, string text)
    {
        Assert.Equal(text, Durations.Format(TimeSpan.FromSeconds(seconds)));
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text, "--ttl"));
    }
}
