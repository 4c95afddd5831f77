using System.Text.RegularExpressions;
using DataBuild.Graphs;
using DataBuild.Refs;

namespace DataBuild.Core.Tests.Graphs;

/// <summary>
/// The indexed lookup against a plain loop over every pattern, on random graphs built from a small
/// vocabulary so that patterns overlap and many refs are ambiguous or unmatched.
/// </summary>
public partial class GraphLookupOracleTests
{
    private static readonly string[] Words = ["a", "b", "ab", "date=1", "date=2", "x"];

    // Refs also use a word no pattern has, so that some find no job.
    private static readonly string[] RefWords = [.. Words, "zz"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void The_index_finds_exactly_the_patterns_a_scan_finds(int seed)
    {
        var random = new Random(seed);
        var manifest = RandomManifest(random);
        var lookup = new GraphLookup(manifest);
        var everyPattern = manifest.Jobs.SelectMany(job => job.Outputs.Select(pattern => (Job: job.Label, Pattern: pattern.Text, Parsed: pattern))).ToArray();
        var refs = Enumerable.Range(0, 3000).Select(_ => RandomRef(random)).ToArray();

        foreach (var partitionRef in refs.Where(PartitionRefs.IsValid))
        {
            var expected = everyPattern.Where(p => p.Parsed.IsMatch(partitionRef)).Select(p => (p.Job, p.Pattern)).Order();
            var actual = lookup.MatchingPatterns(partitionRef).Select(p => (p.Job.Label, p.Pattern.Text)).Order();
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void A_batch_lookup_agrees_with_a_scan_ref_by_ref(int seed)
    {
        var random = new Random(seed);
        var manifest = RandomManifest(random);
        var lookup = new GraphLookup(manifest);
        var refs = Enumerable.Range(0, 3000).Select(_ => RandomRef(random)).ToArray();
        var jobsByRef = refs.Distinct().ToDictionary(r => r, r => manifest.Jobs.Where(j => j.Outputs.Any(p => p.IsMatch(r))).Select(j => j.Label).ToArray());

        var problems = Assert.Throws<LookupException>(() => lookup.Lookup(refs)).Problems;

        var expectedProblems = jobsByRef
            .Where(pair => !PartitionRefs.IsValid(pair.Key) || pair.Value.Length != 1)
            .Select(pair => (pair.Key, !PartitionRefs.IsValid(pair.Key) ? LookupProblemKind.InvalidRef : pair.Value.Length == 0 ? LookupProblemKind.NoJob : LookupProblemKind.AmbiguousJobs))
            .Order();
        Assert.Equal(expectedProblems, problems.Select(p => (p.Ref, p.Kind)).Order());
        foreach (var ambiguous in problems.Where(p => p.Kind == LookupProblemKind.AmbiguousJobs))
            Assert.Equal(jobsByRef[ambiguous.Ref].Order(), ambiguous.Patterns.Select(p => p.Job.Label));

        var producible = refs.Where(r => PartitionRefs.IsValid(r) && jobsByRef[r].Length == 1).ToArray();
        var groups = lookup.Lookup(producible).Jobs;
        var expectedGroups = producible.Distinct().GroupBy(r => jobsByRef[r][0])
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => (g.Key, string.Join(" ", g.Order(StringComparer.Ordinal))));
        Assert.Equal(expectedGroups, groups.Select(g => (g.Job.Label, string.Join(" ", g.Refs))));
    }

    // Patterns that match the same refs are refused by the manifest, so only one of each shape is kept.
    private static GraphManifest RandomManifest(Random random)
    {
        var shapes = new HashSet<string>();
        var jobs = new List<JobDefinition>();
        for (var job = 0; job < 25; job++)
        {
            var patterns = Enumerable.Range(0, random.Next(1, 4))
                .Select(_ => RandomPattern(random))
                .Where(p => shapes.Add(CaptureName().Replace(p, "{}")))
                .Select(PartitionPattern.Parse)
                .ToArray();
            if (patterns.Length > 0) jobs.Add(new JobDefinition($"job_{job}", ["bash"], patterns));
        }
        return new GraphManifest("random", jobs);
    }

    // Mostly a literal first segment, as real graphs have; the rest mixes every kind of wildcard.
    private static string RandomPattern(Random random)
    {
        var captures = 0;
        var first = random.Next(5) == 0 ? $"{Pick(random, Words)}*" : Pick(random, Words);
        var rest = Enumerable.Range(0, random.Next(0, 3)).Select(_ => random.Next(12) switch
        {
            < 5 => Pick(random, Words),
            5 or 6 => $"{{c{captures++}}}",
            7 => "*",
            8 => $"{Pick(random, Words)}*",
            9 or 10 => $"date={{c{captures++}}}",
            _ => "**",
        });
        return string.Join("/", rest.Prepend(first));
    }

    private static string RandomRef(Random random)
    {
        // One ref in fifty is invalid, so the batch test sees every kind of problem.
        if (random.Next(50) == 0) return Pick(random, ["", "a//b", "/a", "a/./b", "a b"]);
        return string.Join("/", Enumerable.Range(0, random.Next(1, 5)).Select(_ => Pick(random, RefWords) + (random.Next(3) == 0 ? Pick(random, RefWords) : "")));
    }

    private static string Pick(Random random, string[] choices) => choices[random.Next(choices.Length)];

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex CaptureName();
}
