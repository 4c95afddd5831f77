namespace DataBuild.Engine;

/// <summary>A job's configure failed or broke the contract; names the job, the refs and what it said.</summary>
public sealed class ConfigureFailedException(string jobLabel, IReadOnlyList<string> refs, string message)
    : Exception($"configure of job {jobLabel} failed for {string.Join(", ", refs.Take(5))}{(refs.Count > 5 ? $" and {refs.Count - 5} more" : "")}: {message}")
{
    public string JobLabel { get; } = jobLabel;

    public IReadOnlyList<string> Refs { get; } = refs;
}
