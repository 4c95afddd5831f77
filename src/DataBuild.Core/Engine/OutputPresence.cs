using DataBuild.Execution;
using DataBuild.Graphs;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// Whether partitions the log calls built are still there (docs/concepts.md#staleness): for a job with locations
/// (<see cref="OutputLocations"/>) a stat per location, never a read, many at once in parallel; for a job with an
/// <c>exists</c> verb one call per job with all of its refs (<see cref="CheckAsync"/>). Each answer is kept for the
/// life of this object (one build, one listing). Partitions of other jobs are never checked. Given a
/// <paramref name="catalog"/>, the stats of partitions include those of their recorded upstream closure, in the same
/// batch, so a deleted upstream under a present partition is found (<see cref="MissingUpstream"/>).
/// </summary>
public sealed class OutputPresence(GraphManifest graph, GraphLookup lookup, PartitionCatalog? catalog = null)
{
    // Below this many, the stats are done one after the other: starting workers costs more.
    private const int ParallelFrom = 64;

    private readonly PreparedLocations _locations = OutputLocations.Prepare(graph);
    private readonly bool _anyExists = graph.Jobs.Any(j => j.ExistsVerb && j.Locations.Count == 0);

    // Ref → why it is missing, or null when it is there or not checked by this graph.
    private readonly Dictionary<string, string?> _missing = new(StringComparer.Ordinal);

    // Refs whose location (and, given a catalog, recorded upstream closure) was stat'ed.
    private readonly HashSet<string> _checked = new(StringComparer.Ordinal);

    // Ref → a recorded upstream of it (transitively) whose location is empty, or null when there is none.
    private readonly Dictionary<string, string?> _missingUpstream = new(StringComparer.Ordinal);

    // Whether any check found a partition missing: when none did, no partition has a missing upstream and none is walked.
    private bool _anyMissing;

    /// <summary>Where <paramref name="partitionRef"/> lands, an absolute path; null when its job declares no locations.</summary>
    public string? LocationOf(string partitionRef)
    {
        return _locations.Any && lookup.TryMatch(partitionRef) is { } match ? _locations.Of(match.Pattern, partitionRef) : null;
    }

    /// <summary>
    /// Stats the locations of those of <paramref name="partitionRefs"/> and of their recorded upstream closure not yet
    /// checked, together (no job is run).
    /// </summary>
    public void Check(IEnumerable<string> partitionRefs)
    {
        if (!_locations.Any) return;
        var toCheck = new List<string>();
        foreach (var partitionRef in partitionRefs)
            if (_checked.Add(partitionRef)) toCheck.Add(partitionRef);
        // What was checked before had its closure checked with it, so each partition is walked once.
        if (catalog is not null && toCheck.Count > 0) toCheck.AddRange(catalog.UpstreamClosure(toCheck, _checked));
        var pending = toCheck.Where(r => !_missing.ContainsKey(r)).ToArray();
        // Finding a location costs more than its stat: both are done by the workers.
        var located = new bool[pending.Length];
        var missing = new string?[pending.Length];
        void Stat(int i)
        {
            if (LocationOf(pending[i]) is not { } location) return;
            located[i] = true;
            missing[i] = Path.Exists(location) ? null : $"nothing at {location}";
        }
        if (pending.Length >= ParallelFrom) Parallel.For(0, pending.Length, Stat);
        else for (var i = 0; i < pending.Length; i++) Stat(i);
        for (var i = 0; i < pending.Length; i++)
        {
            if (!located[i]) continue;
            _missing[pending[i]] = missing[i];
            _anyMissing |= missing[i] is not null;
        }
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
            {
                var missing = outcome.Present.Contains(partitionRef) ? null : $"job {job.Label}'s exists did not list it";
                _missing[partitionRef] = missing;
                _anyMissing |= missing is not null;
            }
        }
    }

    /// <summary>Why <paramref name="partitionRef"/> is missing (its location is empty, or its job's exists left it out); null when it is there or unchecked.</summary>
    public string? Missing(string partitionRef)
    {
        if (!_locations.Any && !_anyExists) return null;
        if (!_missing.TryGetValue(partitionRef, out var missing) && !_checked.Contains(partitionRef))
        {
            Check([partitionRef]);
            missing = _missing.GetValueOrDefault(partitionRef);
        }
        return missing;
    }

    /// <summary>
    /// A recorded upstream of <paramref name="partitionRef"/> (an input of the run that last built it, or one of
    /// theirs, transitively) whose location is empty; null when there is none or no catalog was given.
    /// </summary>
    public string? MissingUpstream(string partitionRef)
    {
        if (!_locations.Any || catalog is null) return null;
        if (_missingUpstream.TryGetValue(partitionRef, out var known)) return known;
        Check([partitionRef]);
        if (!_anyMissing) return null;
        // Depth first, each frame resuming at the input it descended into; one being walked counts as present.
        var stack = new Stack<(string Ref, IReadOnlyList<string> Inputs, int Next)>();
        _missingUpstream[partitionRef] = null;
        stack.Push((partitionRef, catalog.RecordedInputs(partitionRef), 0));
        while (stack.TryPop(out var frame))
        {
            var (current, inputs, next) = frame;
            string? found = null;
            var descended = false;
            for (var i = next; i < inputs.Count && found is null; i++)
            {
                var input = inputs[i];
                if (_missing.GetValueOrDefault(input) is not null) found = input;
                else if (_missingUpstream.TryGetValue(input, out var below)) found = below;
                else
                {
                    stack.Push((current, inputs, i));
                    _missingUpstream[input] = null;
                    stack.Push((input, catalog.RecordedInputs(input), 0));
                    descended = true;
                    break;
                }
            }
            if (!descended) _missingUpstream[current] = found;
        }
        return _missingUpstream[partitionRef];
    }
}
