namespace DataBuild.Graphs;

/// <summary>A graph manifest could not be loaded or built; <see cref="Problems"/> lists everything wrong with it.</summary>
public sealed class GraphManifestException(string origin, IReadOnlyList<GraphManifestProblem> problems)
    : Exception(Describe(origin, problems))
{
    /// <summary>The manifest's file, or a description of a manifest built in code.</summary>
    public string Origin { get; } = origin;

    public IReadOnlyList<GraphManifestProblem> Problems { get; } = problems;

    private static string Describe(string origin, IReadOnlyList<GraphManifestProblem> problems)
    {
        var count = problems.Count == 1 ? "1 problem" : $"{problems.Count} problems";
        return $"graph manifest {origin} has {count}:" + string.Concat(problems.Select(p => $"{Environment.NewLine}  {p}"));
    }
}
