using BenchmarkDotNet.Attributes;
using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Benchmarks;

/// <summary>
/// Finding the producing job of 100,000 refs among 100 jobs with one pattern each. Half the patterns share
/// a long literal prefix and differ late (derived/kind7/...), half differ early (source7/...), and some
/// refs are near misses of other patterns, so the prefix index and the regexes both have work.
/// </summary>
public class Lookup
{
    private const int Refs = 100_000;
    private const int Jobs = 100;

    private GraphLookup _lookup = null!;
    private string[] _refs = null!;

    [GlobalSetup]
    public void Setup()
    {
        var jobs = Enumerable.Range(0, Jobs).Select(j => new JobDefinition($"job{j}", ["./job.sh"], [PartitionPattern.Parse(PatternOf(j))]));
        _lookup = new GraphLookup(new GraphManifest("lookup", jobs));
        _refs = Enumerable.Range(0, Refs).Select(RefOf).ToArray();
    }

    [Benchmark]
    [Items(Refs, "refs")]
    public int LookupRefs() => _lookup.Lookup(_refs).Jobs.Count;

    private static string PatternOf(int job) => job % 2 == 0
        ? $"source{job}/date={{date}}/hour={{hour}}"
        : $"derived/kind{job}/{{table}}/date={{date}}";

    private static string RefOf(int i)
    {
        var job = i % Jobs;
        var date = $"2024-{1 + i / 28 % 12:00}-{1 + i % 28:00}";
        return job % 2 == 0 ? $"source{job}/date={date}/hour={i % 24}" : $"derived/kind{job}/t{i % 7}/date={date}";
    }
}
