using DataBuild.Refs;

namespace DataBuild.Graphs;

/// <summary>
/// One job of a graph (docs/concepts.md#graphs, docs/job-contract.md): how to run it and which partitions it produces. Construction
/// does not validate; a <see cref="GraphManifest"/> validates its jobs together, so that every problem of
/// a graph is reported at once.
/// </summary>
public sealed class JobDefinition
{
    public JobDefinition(string label, IEnumerable<string> command, IEnumerable<PartitionPattern> outputs)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(outputs);
        Label = label;
        Command = command.ToArray().AsReadOnly();
        Outputs = outputs.ToArray().AsReadOnly();
    }

    public string Label { get; }

    /// <summary>The program and its leading arguments, as declared; see <see cref="GraphManifest.ResolveCommand"/>.</summary>
    public IReadOnlyList<string> Command { get; }

    /// <summary>The patterns of the partitions this job produces.</summary>
    public IReadOnlyList<PartitionPattern> Outputs { get; }

    /// <summary>How many times a failed run is retried; 0 runs it once.</summary>
    public int Retries { get; init; }

    /// <summary>How long one run may take before it is killed; null for no limit.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>A configure that runs longer than this, by default <see cref="DefaultConfigureTimeoutSeconds"/>, is stopped and fails the analysis.</summary>
    public int? ConfigureTimeoutSeconds { get; init; }

    public const int DefaultConfigureTimeoutSeconds = 300;

    /// <summary>How many runs of this job may run at once; null for no limit beyond the build's parallelism.</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>The job's declared version: when it changes, partitions it built become stale.</summary>
    public string Version { get; init; } = "";

    /// <summary>Where its runs are started: <see cref="JobExecutor.Local"/> unless the manifest says otherwise.</summary>
    public JobExecutor Executor { get; init; } = JobExecutor.Local;

    /// <summary>
    /// Where the outputs land, one location per <see cref="Outputs"/> pattern with the same captures
    /// (<c>data/totals/day={day}</c>), relative to the graph's working directory or absolute; empty when undeclared
    /// (<see cref="OutputLocations"/>).
    /// </summary>
    public IReadOnlyList<string> Locations { get; init; } = [];

    /// <summary>The job's code identity as computed at <c>dotnet build</c> (<see cref="CodeKeys"/>); empty when the manifest has none.</summary>
    public string CodeKey { get; init; } = "";

    /// <summary>The job answers <c>exists &lt;refs…&gt;</c> (docs/job-contract.md#exists), asked before its partitions are skipped when it declares no locations.</summary>
    public bool ExistsVerb { get; init; }

    public override string ToString() => Label;
}
