using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Reports;

namespace DataBuild.Benchmarks;

/// <summary>
/// Merges a run's results into the JSON file bench/report.py reads: one entry per benchmark case, replaced
/// when the case runs again, so a run filtered to a few benchmarks keeps the others' latest figures.
/// </summary>
internal static class ResultsFile
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static void Merge(string path, IEnumerable<Summary> summaries, double loadBefore)
    {
        var root = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!.AsObject() : new JsonObject();
        var results = root["results"] as JsonObject ?? [];
        root.Remove("results");
        var date = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        foreach (var report in summaries.SelectMany(s => s.Reports))
        {
            var benchmark = report.BenchmarkCase;
            var statistics = report.ResultStatistics;
            if (statistics is null) continue;
            var parameters = new JsonObject();
            foreach (var parameter in benchmark.Parameters.Items)
                parameters[parameter.Name] = Convert.ToString(parameter.Value, CultureInfo.InvariantCulture);
            var entry = new JsonObject
            {
                ["class"] = benchmark.Descriptor.Type.Name,
                ["method"] = benchmark.Descriptor.WorkloadMethod.Name,
                ["parameters"] = parameters,
                ["meanNs"] = statistics.Mean,
                ["stdDevNs"] = statistics.StandardDeviation,
                ["allocatedBytes"] = report.GcStats.GetBytesAllocatedPerOperation(benchmark),
                ["date"] = date,
                ["loadBefore"] = loadBefore,
            };
            if (ItemsAttribute.Of(benchmark) is { } items)
            {
                entry["items"] = items.Count;
                entry["unit"] = items.Unit;
                entry["itemsPerSecond"] = items.Count / (statistics.Mean / 1e9);
            }
            results[$"{benchmark.Descriptor.Type.Name}.{benchmark.Descriptor.WorkloadMethod.Name}{benchmark.Parameters.DisplayInfo}"] = entry;
        }
        root["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription;
        root["results"] = new JsonObject(results.OrderBy(r => r.Key, StringComparer.Ordinal)
            .Select(r => KeyValuePair.Create(r.Key, r.Value?.DeepClone())));
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, root.ToJsonString(Indented) + "\n");
    }

    /// <summary>The one-minute load average, the figure RESULTS.md records beside every result.</summary>
    public static double LoadAverage() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);
}
