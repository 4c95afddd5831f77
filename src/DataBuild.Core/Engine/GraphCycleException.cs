namespace DataBuild.Engine;

/// <summary>The analysed dependencies loop back on themselves; the message prints the loop.</summary>
public sealed class GraphCycleException(IReadOnlyList<string> cycle)
    : Exception($"dependency cycle: {string.Join(" needs ", cycle)}")
{
    /// <summary>The partitions of the loop, each needing the next; the first and last are the same.</summary>
    public IReadOnlyList<string> Cycle { get; } = cycle;
}
