namespace DataBuild.Job;

/// <summary>
/// One job run as <see cref="IDataBuildJob.Configure"/> plans it: the refs it builds, the refs it reads, and
/// the args and environment variables its <c>exec</c> gets.
/// </summary>
public sealed class RunConfig
{
    public required IReadOnlyList<string> Outputs { get; init; }

    public IReadOnlyList<JobInput> Inputs { get; init; } = [];

    /// <summary>Passed to <c>exec</c> on its command line, after the verb.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>Added to the environment of <c>exec</c>.</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
}
