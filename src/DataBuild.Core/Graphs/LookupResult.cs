namespace DataBuild.Graphs;

/// <summary>
/// Requested refs grouped by the job that produces them: jobs ordered by label, refs ordered and without
/// duplicates (ordinal order), so the same request always gives the same configure calls.
/// </summary>
public sealed class LookupResult(IReadOnlyList<JobRefs> jobs)
{
    public IReadOnlyList<JobRefs> Jobs { get; } = jobs;
}

/// <summary>The refs of one lookup that <see cref="Job"/> produces.</summary>
public sealed class JobRefs(JobDefinition job, IReadOnlyList<string> refs)
{
    public JobDefinition Job { get; } = job;

    public IReadOnlyList<string> Refs { get; } = refs;
}
