namespace DataBuild.Job;

/// <summary>
/// What <see cref="IDataBuildJob.ExecuteAsync"/> is asked to do: one run config as the graph passes it to
/// <c>exec</c>, plus the run's identity. Construct one directly to test a job without a process.
/// </summary>
public sealed class JobRun
{
    /// <summary>This run's id (a UUID), from <c>DATABUILD_JOB_RUN_ID</c>.</summary>
    public required string JobRunId { get; init; }

    /// <summary>The job's label in the graph, from <c>DATABUILD_JOB_LABEL</c>.</summary>
    public required string JobLabel { get; init; }

    /// <summary>The refs this run must build.</summary>
    public required IReadOnlyList<string> Outputs { get; init; }

    public IReadOnlyList<JobInput> Inputs { get; init; } = [];

    /// <summary>The command-line args after <c>exec</c>: the config's args.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>The config's environment variables (also set in the process environment by the graph).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();
}
