namespace DataBuild.Engine;

/// <summary>A job's configure failed or broke the contract; names the job, the refs and what it said.</summary>
public sealed class ConfigureFailedException(string jobLabel, IReadOnlyList<string> refs, string message)
    : Exception($"configure of job {jobLabel} failed for {ListText.FirstAndMore(refs, 5)}: {message}")
{
    public string JobLabel { get; } = jobLabel;

    public IReadOnlyList<string> Refs { get; } = refs;
}
