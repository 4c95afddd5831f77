using DataBuild.Job;

namespace PodcastReviews;

/// <summary>
/// The folder holding every partition of the graph as a file at its ref: <c>reviews/date=2020-01-01</c> is
/// <c>&lt;folder&gt;/reviews/date=2020-01-01</c>. Set by <c>PODCAST_DATA_DIR</c>, default <c>data</c> in
/// the working directory (the graph's folder, where the engine runs jobs).
/// </summary>
public sealed class DataFolder
{
    public const string Variable = "PODCAST_DATA_DIR";

    public const string DefaultPath = "data";

    public DataFolder(string path)
    {
        Root = Path.GetFullPath(path);
    }

    public string Root { get; }

    /// <summary>The folder as configure sees it in its environment.</summary>
    public static DataFolder FromEnvironment() =>
        new(Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } path ? path : DefaultPath);

    /// <summary>The folder a run was configured with.</summary>
    public static DataFolder Of(JobRun run) =>
        run.Env.TryGetValue(Variable, out var path)
            ? new DataFolder(path)
            : throw new InvalidOperationException($"the run config has no {Variable}: was it made by this job's configure?");

    /// <summary>
    /// The environment a config carries: the folder as an absolute path, fixed at configure time, so a
    /// recorded config replays exactly wherever and whenever it runs.
    /// </summary>
    public Dictionary<string, string> ConfigEnv() => new() { [Variable] = Root };

    public string PathOf(string partitionRef) => Path.Combine(Root, partitionRef);

    public bool Has(string partitionRef) => File.Exists(PathOf(partitionRef));

    /// <summary>Reports every absent input of <paramref name="run"/> at once, so the graph can build them all before the rerun.</summary>
    /// <exception cref="MissingDependenciesException">Some inputs are absent.</exception>
    public void RequireInputs(JobRun run)
    {
        var absent = run.Inputs.Select(input => input.Ref).Where(r => !Has(r)).ToList();
        if (absent.Count > 0) throw new MissingDependenciesException(impacted: run.Outputs, missing: absent);
    }
}
