namespace DataBuild.Job;

/// <summary>A partition a job run reads, and whether the graph must build it first.</summary>
public sealed record JobInput
{
    private JobInput(DependencyType type, string partitionRef)
    {
        ArgumentException.ThrowIfNullOrEmpty(partitionRef);
        Type = type;
        Ref = partitionRef;
    }

    public DependencyType Type { get; }

    public string Ref { get; }

    /// <summary>An input the graph builds before the job runs.</summary>
    public static JobInput Materialize(string partitionRef) => new(DependencyType.Materialize, partitionRef);

    /// <summary>An input the job reads if present; recorded for lineage, never built for this request.</summary>
    public static JobInput Query(string partitionRef) => new(DependencyType.Query, partitionRef);
}

public enum DependencyType
{
    Query,
    Materialize,
}
