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
    /// inputs, and so on, each once, in the order reached. A root is in it only when another root read it.
    /// </summary>
    public IReadOnlyList<string> UpstreamClosure(IEnumerable<string> partitionRefs)
    {
        var closure = new List<string>();
        var reached = new HashSet<string>(StringComparer.Ordinal);
        var walked = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(partitionRefs);
        while (pending.TryPop(out var next))
        {
            if (!walked.Add(next)) continue;
            foreach (var input in RecordedInputs(next))
            {
                if (reached.Add(input)) closure.Add(input);
                pending.Push(input);
            }
        }
        return closure;
    }

    private JobRunInfo? LastRun(Entry entry) => entry.LastBuilt is { JobRunId.Length: > 0 } built ? runs.Get(built.JobRunId) : null;

    private List<string> RecordedInputs(Entry entry) => LastRun(entry)?.Config?.Inputs
        .Where(i => i.DepType == DepType.Materialize)
        .Select(i => i.PartitionRef.Str)
        .ToList() ?? [];
}
