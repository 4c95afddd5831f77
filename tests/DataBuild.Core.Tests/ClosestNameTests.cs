namespace DataBuild.Core.Tests;

public class ClosestNameTests
{
    private static readonly string[] Metadata = ["Project", "Command", "Outputs", "Retries", "TimeoutSeconds", "ConfigureTimeoutSeconds", "MaxConcurrency", "Version"];

    [Theory]
    [InlineData("Retry", "Retries")]
    [InlineData("TimeoutSecond", "TimeoutSeconds")]
    [InlineData("Ouputs", "Outputs")]
    [InlineData("maxconcurrency", "MaxConcurrency")]
    public void A_misspelt_name_gets_the_name_it_meant(string name, string meant) => Assert.Equal(meant, ClosestName.Of(name, Metadata));

    [Fact]
    public void A_name_like_none_gets_none() => Assert.Null(ClosestName.Of("Colour", Metadata));
}
