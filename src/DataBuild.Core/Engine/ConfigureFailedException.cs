namespace DataBuild.Engine;

/// <summary>A job's configure (or its <c>exists</c>, <paramref name="verb"/>) failed or broke the contract; names the job, the refs and what it said.</summary>
public sealed class ConfigureFailedException(string jobLabel, IReadOnlyList<string> refs, string message, string verb = "configure")
    : Exception($"{verb} of job {jobLabel} failed for {ListText.FirstAndMore(refs, 5)}: {message}")
{
    public string JobLabel { get; } = jobLabel;

    public IReadOnlyList<string> Refs { get; } = refs;
}
