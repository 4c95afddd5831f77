using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Graphs;

public class GraphManifestLoadTests
{
    private const string PodcastReviews = """
        { "label": "podcast_reviews",
          "jobs": [ { "label": "extract_reviews", "command": ["bash", "-c", "echo"],
                      "outputs": ["reviews/date={date}"],
                      "retries": 2, "timeoutSeconds": 600, "maxConcurrency": 4, "version": "1" },
                    { "label": "daily_summaries", "command": ["python3", "summarize.py"],
                      "outputs": ["daily_summaries/category={category}/date={date}", "daily_summaries/all/**"] } ] }
        """;

    [Fact]
    public void Loads_every_field_from_a_file()
    {
        using var folder = new TempFolder();
        var file = folder.Write("graph.json", PodcastReviews);

        var manifest = GraphManifest.Load(file);

        Assert.Equal("podcast_reviews", manifest.Label);
        Assert.Equal(folder.Path, manifest.Folder);
        var extract = manifest.Jobs[0];
        Assert.Equal("extract_reviews", extract.Label);
        Assert.Equal(["bash", "-c", "echo"], extract.Command);
        Assert.Equal("reviews/date={date}", Assert.Single(extract.Outputs).Text);
        Assert.Equal(2, extract.Retries);
        Assert.Equal(600, extract.TimeoutSeconds);
        Assert.Equal(4, extract.MaxConcurrency);
        Assert.Equal("1", extract.Version);
        Assert.Equal("daily_summaries", manifest.Jobs[1].Label);
    }

    [Fact]
    public void Leaves_optional_fields_at_their_defaults()
    {
        using var folder = new TempFolder();
        folder.Write("graph.json", PodcastReviews);

        var summaries = GraphManifest.Load(folder.Path).Jobs.Single(j => j.Label == "daily_summaries");

        Assert.Equal(0, summaries.Retries);
        Assert.Null(summaries.TimeoutSeconds);
        Assert.Null(summaries.MaxConcurrency);
        Assert.Equal("", summaries.Version);
        Assert.Equal(["daily_summaries/category={category}/date={date}", "daily_summaries/all/**"], summaries.Outputs.Select(p => p.Text));
    }

    [Fact]
    public void Accepts_a_folder_holding_graph_json()
    {
        using var folder = new TempFolder();
        folder.Write("graph.json", PodcastReviews);

        Assert.Equal("podcast_reviews", GraphManifest.Load(folder.Path).Label);
    }

    [Fact]
    public void Accepts_a_byte_order_mark()
    {
        using var folder = new TempFolder();
        var file = Path.Combine(folder.Path, "graph.json");
        File.WriteAllText(file, PodcastReviews, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.Equal("podcast_reviews", GraphManifest.Load(file).Label);
    }

    [Fact]
    public void A_missing_file_or_folder_is_named()
    {
        using var folder = new TempFolder();

        var inFolder = Assert.Throws<GraphManifestException>(() => GraphManifest.Load(folder.Path));
        var missingFile = Assert.Throws<GraphManifestException>(() => GraphManifest.Load(Path.Combine(folder.Path, "other.json")));

        Assert.Contains(Path.Combine(folder.Path, "graph.json"), inFolder.Message);
        Assert.Contains("has no graph.json", inFolder.Message);
        Assert.Contains(Path.Combine(folder.Path, "other.json"), missingFile.Message);
        Assert.Contains("does not exist", missingFile.Message);
    }

    [Fact]
    public void Save_then_Load_gives_the_same_manifest_and_the_same_text()
    {
        using var folder = new TempFolder();
        folder.Write("graph.json", PodcastReviews);
        var original = GraphManifest.Load(folder.Path);
        using var copy = new TempFolder();

        var written = original.Save(copy.Path);
        var reloaded = GraphManifest.Load(written);

        Assert.Equal(Path.Combine(copy.Path, "graph.json"), written);
        Assert.Equal(original.ToJson(), reloaded.ToJson());
        Assert.Equal(original.ToJson(), File.ReadAllText(written));
        Assert.Equal(copy.Path, reloaded.Folder);
        Assert.Equal(original.Jobs.Select(j => j.Label), reloaded.Jobs.Select(j => j.Label));
        Assert.Equal(original.Jobs[0].TimeoutSeconds, reloaded.Jobs[0].TimeoutSeconds);
    }

    [Fact]
    public void A_manifest_built_in_code_saves_in_a_stable_indented_form()
    {
        var job = new JobDefinition("extract_reviews", ["jobs/extract.sh"], [PartitionPattern.Parse("reviews/date={date}")])
        {
            Retries = 2,
            MaxConcurrency = 4,
        };
        var manifest = new GraphManifest("podcast_reviews", [job, new JobDefinition("b", ["bash", "a+b<c"], [PartitionPattern.Parse("b/*")])]);

        Assert.Equal("""
            {
              "label": "podcast_reviews",
              "jobs": [
                {
                  "label": "extract_reviews",
                  "command": [
                    "jobs/extract.sh"
                  ],
                  "outputs": [
                    "reviews/date={date}"
                  ],
                  "retries": 2,
                  "maxConcurrency": 4
                },
                {
                  "label": "b",
                  "command": [
                    "bash",
                    "a+b<c"
                  ],
                  "outputs": [
                    "b/*"
                  ]
                }
              ]
            }

            """.ReplaceLineEndings("\n"), manifest.ToJson());
    }

    [Fact]
    public void Save_overwrites_and_leaves_no_temporary_file()
    {
        using var folder = new TempFolder();
        var file = folder.Write("graph.json", "old");
        var manifest = new GraphManifest("g", [new JobDefinition("j", ["bash"], [PartitionPattern.Parse("a/{x}")])]);

        manifest.Save(file);

        Assert.Equal(manifest.ToJson(), File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFiles(folder.Path));
    }
}
