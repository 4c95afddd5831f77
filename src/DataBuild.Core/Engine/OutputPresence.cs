using DataBuild.Execution;
using DataBuild.Graphs;

namespace DataBuild.Engine;

/// <summary>
/// Whether partitions the log calls built are still there (docs/concepts.md#staleness): for a job with locations
/// (<see cref="OutputLocations"/>) a stat per location, never a read, many at once in parallel; for a job with an
/// <c>exists</c> verb one call per job with all of its refs (<see cref="CheckAsync"/>). Each answer is kept for the
/// life of this object (one build, one listing). Partitions of other jobs are never checked.
/// </summary>
public sealed class OutputPresence(GraphManifest graph, GraphLookup lookup)
{
    // Below this many, the stats are done one after the other: starting workers costs more.
    private const int ParallelFrom = 64;

    private readonly bool _anyLocations = graph.Jobs.Any(j => j.Locations.Count > 0);
    private readonly bool _anyExists = graph.Jobs.Any(j => j.ExistsVerb && j.Locations.Count == 0);

    // Ref → why it is missing, or null when it is there or not checked by this graph.
    private readonly Dictionary<string, string?> _missing = new(StringComparer.Ordinal);

    /// <summary>Where <paramref name="partitionRef"/> lands, an absolute path; null when its job declares no locations.</summary>
    public string? LocationOf(string partitionRef)
    {
        if (!_anyLocations || lookup.TryMatch(partitionRef) is not { } match) return null;
        return OutputLocations.Of(graph, match.Job, match.Pattern, match.Pattern.Match(partitionRef)!);
    }

    /// <summary>Stats the locations of those of <paramref name="partitionRefs"/> not yet checked, together (no job is run).</summary>
    public void Check(IEnumerable<string> partitionRefs)
    {
        if (!_anyLocations) return;
        var pending = new List<(string Ref, string Location)>();
        foreach (var partitionRef in partitionRefs)
        {
            if (_missing.ContainsKey(partitionRef)) continue;
            if (LocationOf(partitionRef) is { } location) pending.Add((partitionRef, location));
        }
        var exists = new bool[pending.Count];
        if (pending.Count >= ParallelFrom) Parallel.For(0, pending.Count, i => exists[i] = Path.Exists(pending[i].Location));
        else for (var i = 0; i < pending.Count; i++) exists[i] = Path.Exists(pending[i].Location);
        for (var i = 0; i < pending.Count; i++) _missing[pending[i].Ref] = exists[i] ? null : $"nothing at {pending[i].Location}";
    }

    /// <summary>
    /// <see cref="Check"/>, then one <c>exists</c> call per job that answers it, with those of its refs not yet
    /// checked. Throws <see cref="ConfigureFailedException"/> when a call fails or breaks the contract.
    /// </summary>
    public async Task CheckAsync(IEnumerable<string> partitionRefs, CancellationToken cancellationToken)
    {
        var refs = partitionRefs as IReadOnlyCollection<string> ?? partitionRefs.ToArray();
        Check(refs);
        if (!_anyExists) return;
        var byJob = new Dictionary<JobDefinition, List<string>>(ReferenceEqualityComparer.Instance);
        foreach (var partitionRef in refs)
        {
            if (_missing.ContainsKey(partitionRef) || lookup.TryMatch(partitionRef) is not { Job: { ExistsVerb: true, Locations.Count: 0 } job }) continue;
            if (!byJob.TryGetValue(job, out var list)) byJob[job] = list = [];
            list.Add(partitionRef);
        }
        var runner = new JobRunner(graph);
        var calls = byJob.Select(async group => (group.Key, group.Value, await runner.ExistsAsync(group.Key, group.Value, cancellationToken)));
        foreach (var (job, asked, outcome) in await Task.WhenAll(calls))
        {
            if (outcome.Present is null) throw new ConfigureFailedException(job.Label, asked, outcome.Problem, "exists");
            foreach (var partitionRef in asked)
                _missing[partitionRef] = outcome.Present.Contains(partitionRef) ? null : $"job {job.Label}'s exists did not list it";
        }
    }

    /// <summary>Why <paramref name="partitionRef"/> is missing (its location is empty, or its job's exists left it out); null when it is there or unchecked.</summary>
    public string? Missing(string partitionRef)
    {
        if (!_anyLocations && !_anyExists) return null;
        if (!_missing.TryGetValue(partitionRef, out var missing))
        {
            Check([partitionRef]);
            missing = _missing.GetValueOrDefault(partitionRef);
        }
        return missing;
    }
}
