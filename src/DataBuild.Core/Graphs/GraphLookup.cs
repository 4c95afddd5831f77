using DataBuild.Refs;

namespace DataBuild.Graphs;

/// <summary>
/// Finds the job that produces each requested ref (docs/concepts.md#graphs): exactly one job's patterns must match
/// it. Patterns are indexed by literal prefix (<see cref="LiteralPrefixIndex{T}"/>), so a ref is tried only
/// against the few patterns that could match it. Immutable, and safe to share between threads.
/// </summary>
public sealed class GraphLookup
{
    // When nothing matches, the patterns sharing the longest literal prefix with the ref are suggested, this many at most.
    private const int Suggestions = 3;

    private readonly LiteralPrefixIndex<IndexedPattern> _index = new();
    private readonly JobPattern[] _patterns;

    [ThreadStatic]
    private static List<IndexedPattern>? t_candidates;

    public GraphLookup(GraphManifest manifest)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        _patterns = manifest.Jobs.SelectMany(job => job.Outputs.Select(pattern => new JobPattern(job, pattern))).ToArray();
        foreach (var entry in _patterns) _index.Add(entry.Pattern.LiteralPrefix, new IndexedPattern(entry));
    }

    /// <summary>
    /// Groups <paramref name="partitionRefs"/> by producing job (see <see cref="LookupResult"/> for the order),
    /// or throws one <see cref="LookupException"/> listing every ref that is invalid, matched by no job, or
    /// matched by more than one.
    /// </summary>
    public LookupResult Lookup(IEnumerable<string> partitionRefs)
    {
        ArgumentNullException.ThrowIfNull(partitionRefs);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var refsByJob = new Dictionary<JobDefinition, List<string>>(ReferenceEqualityComparer.Instance);
        var problems = new List<LookupProblem>();
        var candidates = new List<IndexedPattern>();
        foreach (var partitionRef in partitionRefs.Select(r => r ?? ""))
        {
            if (!seen.Add(partitionRef)) continue;
            var found = Resolve(partitionRef, candidates, out var problem);
            if (problem is not null)
            {
                problems.Add(problem);
            }
            else if (refsByJob.TryGetValue(found!.Job, out var refs))
            {
                refs.Add(partitionRef);
            }
            else
            {
                refsByJob.Add(found.Job, [partitionRef]);
            }
        }
        if (problems.Count > 0) throw new LookupException(problems);
        var groups = refsByJob
            .OrderBy(group => group.Key.Label, StringComparer.Ordinal)
            .Select(group =>
            {
                group.Value.Sort(StringComparer.Ordinal);
                return new JobRefs(group.Key, group.Value);
            });
        return new LookupResult(groups.ToArray());
    }

    /// <summary>The job that produces <paramref name="partitionRef"/>, with the captures of its pattern; throws <see cref="LookupException"/> as <see cref="Lookup"/> does.</summary>
    public JobMatch Match(string partitionRef)
    {
        partitionRef ??= "";
        var found = Resolve(partitionRef, [], out var problem);
        if (problem is not null) throw new LookupException([problem]);
        return new JobMatch(found!.Job, found.Pattern, found.Pattern.Match(partitionRef)!);
    }

    /// <summary>The job producing <paramref name="partitionRef"/> with its most specific pattern, or null when no job or several do (nothing is described).</summary>
    public JobPattern? TryMatch(string partitionRef)
    {
        // One list per thread, not per call: a presence check asks once for every partition of a closure, in parallel.
        var candidates = t_candidates ??= [];
        candidates.Clear();
        _index.CollectPrefixesOf(partitionRef, candidates);
        JobPattern? found = null;
        for (var i = candidates.Count - 1; i >= 0; i--)
        {
            if (!candidates[i].IsMatch(partitionRef)) continue;
            if (found is null) found = candidates[i].Entry;
            else if (!ReferenceEquals(found.Job, candidates[i].Entry.Job)) return null;
        }
        return found;
    }

    /// <summary>Every pattern that matches <paramref name="partitionRef"/>, found through the index; tests compare it with a scan of all patterns.</summary>
    internal IReadOnlyList<JobPattern> MatchingPatterns(string partitionRef)
    {
        var candidates = new List<IndexedPattern>();
        _index.CollectPrefixesOf(partitionRef, candidates);
        return candidates.Where(c => c.IsMatch(partitionRef)).Select(c => c.Entry).ToList();
    }

    // The matching pattern of the one producing job (its most specific one), or null and the problem.
    private JobPattern? Resolve(string partitionRef, List<IndexedPattern> candidates, out LookupProblem? problem)
    {
        if (PartitionRefs.Problem(partitionRef) is { } invalid)
        {
            problem = new LookupProblem(LookupProblemKind.InvalidRef, partitionRef, [],
                $"invalid partition ref '{InvalidPartitionRefException.Printable(partitionRef)}': {invalid}");
            return null;
        }
        candidates.Clear();
        _index.CollectPrefixesOf(partitionRef, candidates);
        JobPattern? found = null;
        // Longest prefix first, so a job with several matching patterns reports its most specific one.
        for (var i = candidates.Count - 1; i >= 0; i--)
        {
            if (!candidates[i].IsMatch(partitionRef)) continue;
            var candidate = candidates[i].Entry;
            if (found is null)
            {
                found = candidate;
            }
            else if (!ReferenceEquals(found.Job, candidate.Job))
            {
                problem = Ambiguous(partitionRef, candidates);
                return null;
            }
        }
        problem = found is null ? NoJob(partitionRef) : null;
        return found;
    }

    private static LookupProblem Ambiguous(string partitionRef, List<IndexedPattern> candidates)
    {
        var matches = candidates
            .Where(c => c.IsMatch(partitionRef))
            .Select(c => c.Entry)
            .OrderByDescending(c => c.Pattern.LiteralPrefix.Length)
            .DistinctBy(c => c.Job, ReferenceEqualityComparer.Instance)
            .OrderBy(c => c.Job.Label, StringComparer.Ordinal)
            .ToArray();
        return new LookupProblem(LookupProblemKind.AmbiguousJobs, partitionRef, matches,
            $"'{partitionRef}' is produced by more than one job: {string.Join(", ", matches.Select(m => m.ToString()))}; exactly one job must produce each partition");
    }

    // Errors are rare, so the suggestions come from a plain scan of every pattern.
    private LookupProblem NoJob(string partitionRef)
    {
        var closest = _patterns
            .Select(p => (Entry: p, Shared: p.Pattern.LiteralPrefix.AsSpan().CommonPrefixLength(partitionRef)))
            .Where(s => s.Shared > 0)
            .OrderByDescending(s => s.Shared)
            .ThenBy(s => s.Entry.Pattern.Text, StringComparer.Ordinal)
            .ThenBy(s => s.Entry.Job.Label, StringComparer.Ordinal)
            .Take(Suggestions)
            .Select(s => s.Entry)
            .ToArray();
        var hint = closest.Length == 0
            ? "no pattern even starts like it"
            : $"the closest patterns are {string.Join(", ", closest.Select(c => c.ToString()))}";
        return new LookupProblem(LookupProblemKind.NoJob, partitionRef, closest, $"no job produces '{partitionRef}': {hint}");
    }
}
