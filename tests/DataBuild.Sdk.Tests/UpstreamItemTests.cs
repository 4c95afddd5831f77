using System.Text.Json.Nodes;

namespace DataBuild.Sdk.Tests;

public class UpstreamItemTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void DataBuildUpstream_items_reach_the_manifest_with_the_token_file_resolved_against_the_project()
    {
        _folder.Write("jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        var project = _folder.Write("Graph.csproj", GraphProject.FromSource("""
              <ItemGroup>
                <DataBuildJob Include="summaries" Command="jobs/ok.sh" Outputs="summaries/{date}" />
                <DataBuildUpstream Include="http://127.0.0.1:8765" Patterns="reviews/**;podcasts/{id}" TokenFile="secrets/reviews.token" />
              </ItemGroup>
            """));

        InProcessMSBuild.Build(project).Succeeded();

        var manifest = JsonNode.Parse(File.ReadAllText(_folder.Combine("obj", "Debug", "net10.0", "graph.json")))!;
        var upstream = manifest["upstreams"]![0]!;
        Assert.Equal("http://127.0.0.1:8765", upstream["url"]!.GetValue<string>());
        Assert.Equal(["reviews/**", "podcasts/{id}"], upstream["patterns"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal(_folder.Combine("secrets", "reviews.token"), upstream["tokenFile"]!.GetValue<string>());
    }

    [Fact]
    public void A_bad_upstream_item_is_an_error_located_at_the_project_file()
    {
        _folder.Write("jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        var project = _folder.Write("Graph.csproj", GraphProject.FromSource("""
              <ItemGroup>
                <DataBuildJob Include="summaries" Command="jobs/ok.sh" Outputs="summaries/{date}" />
                <DataBuildUpstream Include="reviews-service" Patterns="reviews/**" />
                <DataBuildUpstream Include="http://127.0.0.1:8766" Patterns="summaries/{day}" />
                <DataBuildUpstream Include="http://127.0.0.1:8767" Patterns="r/{" />
              </ItemGroup>
            """));

        var result = InProcessMSBuild.Build(project).Failed();

        Assert.Contains(result.ErrorsOf("DB0030"), e => e.File == project && e.Message.StartsWith("upstream 'reviews-service': 'reviews-service' is not an http:// or https:// address"));
        Assert.Contains(result.ErrorsOf("DB0030"), e => e.Message.Contains("upstream 'http://127.0.0.1:8766': the pattern 'summaries/{day}' matches the same refs as the output 'summaries/{date}' of job 'summaries'"));
        Assert.Contains(result.ErrorsOf("DB0001"), e => e.File == project && e.Message.StartsWith("upstream 'http://127.0.0.1:8767': invalid pattern 'r/{' in Patterns"));
        Assert.False(File.Exists(_folder.Combine("obj", "Debug", "net10.0", "graph.json")));
    }
}
