using System.Text.Json;
using System.Text.Json.Nodes;

namespace PodcastReviews.Tests;

/// <summary>
/// The podcast reviews graph as the SDK will generate it from PodcastReviews.csproj: one job per project,
/// each run as <c>dotnet &lt;Project&gt;.dll</c> (here the copies built beside the tests).
/// </summary>
public static class SampleGraph
{
    public sealed record Job(string Label, string Project, string Pattern);

    public static readonly IReadOnlyList<Job> Jobs =
    [
        new("raw_reviews", "RawReviews", "raw/reviews"),
        new("extract_reviews", "ExtractReviews", "reviews/date={date}"),
        new("extract_podcasts", "ExtractPodcasts", "podcasts/all"),
        new("categorized_reviews", "CategorizedReviews", "categorized_reviews/category={category}/date={date}"),
        new("phrase_stats", "PhraseStats", "phrase_stats/category={category}/date={date}"),
        new("daily_summaries", "DailySummaries", "daily_summaries/category={category}/date={date}"),
    ];

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
