using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace PodcastReviews.Tests;

/// <summary>
/// The podcast reviews graph as declared in samples/PodcastReviews/PodcastReviews.csproj: one job per
/// DataBuildJob item, each run as <c>dotnet &lt;Project&gt;.dll</c> (here the copies built beside the tests),
/// which is what the SDK generates from those items.
/// </summary>
public static class SampleGraph
{
    public sealed record Job(string Label, string Project, string Pattern);

    public static readonly IReadOnlyList<Job> Jobs = XDocument.Load(Repository.Path("samples", "PodcastReviews", "PodcastReviews.csproj"))
        .Descendants("DataBuildJob")
        .Select(item => new Job(
            (string)item.Attribute("Include")!,
            System.IO.Path.GetFileNameWithoutExtension((string)item.Attribute("Project")!),
            (string)item.Attribute("Outputs")!))
        .ToArray();

    public static void WriteManifest(string folder)
    {
        var jobs = new JsonArray();
        foreach (var job in Jobs)
        {
            jobs.Add(new JsonObject
            {
                ["label"] = job.Label,
                ["command"] = new JsonArray("dotnet", Path.Combine(AppContext.BaseDirectory, job.Project + ".dll")),
                ["outputs"] = new JsonArray(job.Pattern),
            });
        }
        var graph = new JsonObject { ["label"] = "podcast_reviews", ["jobs"] = jobs };
        File.WriteAllText(Path.Combine(folder, "graph.json"), graph.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
