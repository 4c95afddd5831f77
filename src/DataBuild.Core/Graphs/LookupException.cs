namespace DataBuild.Graphs;

public enum LookupProblemKind
{
    /// <summary>The ref breaks the partition ref rules (docs/concepts.md#partition-refs).</summary>
    InvalidRef,

    /// <summary>No job's pattern matches the ref; <see cref="LookupProblem.Patterns"/> are the closest ones.</summary>
    NoJob,

    /// <summary>Patterns of more than one job match the ref; <see cref="LookupProblem.Patterns"/> are those, one per job.</summary>
    AmbiguousJobs,
}

/// <summary>Why one ref could not be looked up.</summary>
public sealed class LookupProblem(LookupProblemKind kind, string partitionRef, IReadOnlyList<JobPattern> patterns, string message)
{
    public LookupProblemKind Kind { get; } = kind;

    public string Ref { get; } = partitionRef;

    /// <summary>The matching patterns (<see cref="LookupProblemKind.AmbiguousJobs"/>), the closest ones (<see cref="LookupProblemKind.NoJob"/>), or none.</summary>
    public IReadOnlyList<JobPattern> Patterns { get; } = patterns;

    public string Message { get; } = message;

    public override string ToString() => Message;
}

/// <summary>Some refs of a lookup have no single producing job; <see cref="Problems"/> has one entry per such ref.</summary>
public sealed class LookupException(IReadOnlyList<LookupProblem> problems) : Exception(Describe(problems))
{
    // Enough to see what is wrong; a request with thousands of bad refs should not print them all.
    private const int ProblemsInMessage = 20;

    public IReadOnlyList<LookupProblem> Problems { get; } = problems;

    private static string Describe(IReadOnlyList<LookupProblem> problems)
    {
        var header = problems.Count == 1 ? "1 partition ref cannot be looked up:" : $"{problems.Count} partition refs cannot be looked up:";
        var lines = problems.Select(p => $"{Environment.NewLine}  {p.Message}").ToArray();
        return header + ListText.FirstAndMore(lines, ProblemsInMessage, separator: "", more: $"{Environment.NewLine}  … and {{0}} more");
    }
}
