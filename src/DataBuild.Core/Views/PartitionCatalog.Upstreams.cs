using DataBuild.Proto;

namespace DataBuild.Views;

// Recorded upstreams (docs/concepts.md#staleness): what the job run that last built a partition read, the same
// inputs staleness judges by. The closure is walked without recursion: a chain may be 100,000 partitions deep.
public sealed partial class PartitionCatalog
{
    /// <summary>The MATERIALIZE inputs of the job run that last built <paramref name="partitionRef"/>; empty when no job run built it.</summary>
    public IReadOnlyList<string> RecordedInputs(string partitionRef) =>
        _entries.TryGetValue(partitionRef, out var entry) ? RecordedInputs(entry) : [];

    /// <summary>
    /// The recorded upstream closure of <paramref name="partitionRefs"/>: their recorded inputs, those inputs' recorded
    /// inputs, and so on, each once, in the order reached, leaving out, and not walking past, what <paramref name="seen"/>
    /// holds (the partitions asked about, with what earlier calls reached); <paramref name="seen"/> gains what is
    /// reached, so many calls together walk each partition once.
    /// </summary>
    internal List<string> UpstreamClosure(IEnumerable<string> partitionRefs, HashSet<string> seen)
    {
        var closure = new List<string>();
        var pending = new Stack<string>(partitionRefs);
        while (pending.TryPop(out var next))
        {
            if (!_entries.TryGetValue(next, out var entry) || LastRun(entry)?.Config is not { } config) continue;
            foreach (var input in config.Inputs)
            {
                if (input.DepType != DepType.Materialize || !seen.Add(input.PartitionRef.Str)) continue;
                closure.Add(input.PartitionRef.Str);
                pending.Push(input.PartitionRef.Str);
            }
        }
        return closure;
    }

    private JobRunInfo? LastRun(Entry entry) => entry.LastBuilt is { JobRunId.Length: > 0 } built ? runs.Get(built.JobRunId) : null;

    private List<string> RecordedInputs(Entry entry)
    {
        var inputs = new List<string>();
        if (LastRun(entry)?.Config is not { } config) return inputs;
        foreach (var input in config.Inputs)
            if (input.DepType == DepType.Materialize) inputs.Add(input.PartitionRef.Str);
        return inputs;
    }
}
