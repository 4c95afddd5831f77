using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Graphs;

public class UpstreamManifestTests
{
    private const string Downstream = """
        { "label": "podcasts",
          "jobs": [ { "label": "summaries", "command": ["bash"], "outputs": ["summaries/date={date}"] } ],
          "upstreams": [ { "url": "http://127.0.0.1:8765", "patterns": ["reviews/**", "podcasts/{id}"], "tokenFile": "secrets/reviews.token" } ] }
        """;

    [Fact]
    public void Reads_upstreams_and_routes_their_refs_away_from_the_jobs()
    {
        using var folder = new TempFolder();
        folder.Write("graph.json", Downstream);

        var manifest = GraphManifest.Load(folder.Path);

        var upstream = Assert.Single(manifest.Upstreams);
        Assert.Equal("http://127.0.0.1:8765", upstream.Url);
        Assert.Equal(["reviews/**", "podcasts/{id}"], upstream.Patterns.Select(p => p.Text));
        Assert.Equal(Path.Combine(folder.Path, "secrets", "reviews.token"), manifest.TokenFileOf(upstream));
        Assert.Same(upstream, manifest.UpstreamOf("reviews/date=2020-01-01"));
        Assert.Null(manifest.UpstreamOf("summaries/date=2020-01-01"));
    }

    [Fact]
    public void Writes_upstreams_so_that_they_read_back_the_same()
    {
        using var folder = new TempFolder();
        folder.Write("graph.json", Downstream);
        var manifest = GraphManifest.Load(folder.Path);

        var json = manifest.ToJson();
        folder.Write("copy/graph.json", json);

        Assert.Contains("\"upstreams\"", json);
        Assert.Equal(json, GraphManifest.Load(Path.Combine(folder.Path, "copy")).ToJson());
    }

    [Theory]
    [InlineData("""{"url": "ftp://host", "patterns": ["r/**"]}""", "$.upstreams[0].url", "is not an http:// or https:// address")]
    [InlineData("""{"url": "http://host:1/api", "patterns": ["r/**"]}""", "$.upstreams[0].url", "has a path")]
    [InlineData("""{"url": "http://me:pw@host:1", "patterns": ["r/**"]}""", "$.upstreams[0].url", "holds credentials")]
    [InlineData("""{"patterns": ["r/**"]}""", "$.upstreams[0].url", "the upstream has no url")]
    [InlineData("""{"url": "http://host:1", "patterns": []}""", "$.upstreams[0].patterns", "the patterns are missing or empty")]
    [InlineData("""{"url": "http://host:1", "patterns": ["s/{date}"]}""", "$.upstreams[0].patterns[0]", "matches the same refs as the output 's/{x}' of job 's'")]
    [InlineData("""{"url": "http://host:1", "patterns": ["r/**"], "tokenFile": ""}""", "$.upstreams[0].tokenFile", "tokenFile must not be empty")]
    [InlineData("""{"url": "http://host:1", "patterns": ["r/{"]}""", "$.upstreams[0].patterns[0]", "invalid pattern 'r/{'")]
    [InlineData("""{"url": "http://host:1", "patterns": ["r/**"], "token": "x"}""", "$.upstreams[0].token", "did you mean 'tokenFile'?")]
    public void A_bad_upstream_is_reported_with_its_path_and_line(string upstream, string path, string message)
    {
        using var folder = new TempFolder();
        var file = folder.Write("graph.json", $$"""
            { "label": "g",
              "jobs": [ { "label": "s", "command": ["bash"], "outputs": ["s/{x}"] } ],
              "upstreams": [
                {{upstream}} ] }
            """);

        var error = Assert.Throws<GraphManifestException>(() => GraphManifest.Load(file));

        var problem = Assert.Single(error.Problems);
        Assert.Equal(path, problem.JsonPath);
        Assert.Contains(message, problem.Message);
        Assert.Equal(4, problem.Line);
        Assert.Equal(0, problem.UpstreamIndex);
    }

    [Fact]
    public void Two_upstreams_may_not_share_a_url_or_a_pattern()
    {
        var jobs = new[] { new JobDefinition("s", ["bash"], [PartitionPattern.Parse("s/{x}")]) };
        var upstreams = new[]
        {
            new UpstreamGraph("http://host:1", [PartitionPattern.Parse("r/**")]),
            new UpstreamGraph("http://host:1/", [PartitionPattern.Parse("q/**")]),
            new UpstreamGraph("http://other:1", [PartitionPattern.Parse("r/**")]),
        };

        var problems = GraphManifest.Check("g", jobs, upstreams: upstreams);

        Assert.All(problems, p => Assert.Equal(GraphManifestProblemKind.InvalidUpstream, p.Kind));
        Assert.Contains(problems, p => p.UpstreamIndex == 1 && p.Message.Contains("is already declared at $.upstreams[0]"));
        Assert.Contains(problems, p => p.UpstreamIndex == 2 && p.Message.Contains("pattern 'r/**' of upstream http://host:1"));
    }
}
