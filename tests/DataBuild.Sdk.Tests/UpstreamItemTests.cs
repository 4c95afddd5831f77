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

    [Fact]
    public void A_composed_graphs_upstreams_reach_the_composing_manifest_and_one_service_both_read_from_is_one_upstream()
    {
        _folder.Write("jobs/ok.sh", GraphProject.NoOpJob, executable: true);
        _folder.Write("reviews/Reviews.csproj", GraphProject.FromSource("""
              <ItemGroup>
                <DataBuildJob Include="scores" Command="../jobs/ok.sh" Outputs="scores/{date}" />
                <DataBuildUpstream Include="http://127.0.0.1:8765" Patterns="reviews/**" TokenFile="reviews.token" />
                <DataBuildUpstream Include="http://127.0.0.1:8770" Patterns="weather/{date}" />
              </ItemGroup>
            """));
        string Main(string tokenFile) => GraphProject.FromSource($$"""
              <ItemGroup>
                <DataBuildGraph Include="../reviews/Reviews.csproj" />
                <DataBuildJob Include="summaries" Command="../jobs/ok.sh" Outputs="summaries/{date}" />
                <DataBuildUpstream Include="http://127.0.0.1:8765" Patterns="podcasts/{id}" TokenFile="{{tokenFile}}" />
              </ItemGroup>
            """);
        var main = _folder.Write("main/Main.csproj", Main("../reviews/reviews.token"));

        InProcessMSBuild.Build(main).Succeeded();

        var manifest = JsonNode.Parse(File.ReadAllText(_folder.Combine("main", "obj", "Debug", "net10.0", "graph.json")))!;
        var upstreams = manifest["upstreams"]!.AsArray();
        Assert.Equal(["http://127.0.0.1:8765", "http://127.0.0.1:8770"], upstreams.Select(u => u!["url"]!.GetValue<string>()));
        Assert.Equal(["podcasts/{id}", "reviews/**"], upstreams[0]!["patterns"]!.AsArray().Select(p => p!.GetValue<string>()));
        // Each token file is taken from the folder of the project that names it.
        Assert.Equal(_folder.Combine("reviews", "reviews.token"), upstreams[0]!["tokenFile"]!.GetValue<string>());
        Assert.Equal(["weather/{date}"], upstreams[1]!["patterns"]!.AsArray().Select(p => p!.GetValue<string>()));

        _folder.Write("main/Main.csproj", Main("other.token"));
        var conflict = InProcessMSBuild.Build(main).Failed();

        var error = Assert.Single(conflict.ErrorsOf("DB0030"));
        Assert.Equal(_folder.Combine("reviews", "Reviews.csproj"), error.File);
        Assert.Contains("upstream 'http://127.0.0.1:8765' is declared in", error.Message);
        Assert.Contains("one service takes one token", error.Message);
    }
}
