using System.Text.RegularExpressions;

namespace DataBuild.Graphs;

/// <summary>Where a job's runs are started (docs/executors.md).</summary>
public enum ExecutorKind
{
    /// <summary>A child process of the build, on this machine: the default.</summary>
    Local,

    /// <summary>A batch job of a Slurm cluster, submitted with sbatch.</summary>
    Slurm,
}

/// <summary>
/// A job's executor, graph.json's <c>"executor"</c>: the kind, and for Slurm the partition and resources each run
/// asks for (left to the cluster's defaults when not set). A local job may name them too: they apply when
/// <c>--executor slurm</c> sends every job to the cluster.
/// </summary>
public sealed partial record JobExecutor(ExecutorKind Kind, string? Partition = null, int? Cpus = null, string? Memory = null, string? TimeLimit = null)
{
    public static readonly JobExecutor Local = new(ExecutorKind.Local);

    /// <summary>The names graph.json and <c>--executor</c> use.</summary>
    public static readonly IReadOnlyList<string> KindNames = ["local", "slurm"];

    public static string NameOf(ExecutorKind kind) => KindNames[(int)kind];

    /// <summary>The kind named <paramref name="name"/>, or null for an unknown name.</summary>
    public static ExecutorKind? ParseKind(string name) => KindNames.ToList().IndexOf(name) is var i and >= 0 ? (ExecutorKind)i : null;

    /// <summary>The same resources with another kind: what <c>--executor</c> does to every job.</summary>
    public JobExecutor WithKind(ExecutorKind kind) => this with { Kind = kind };

    /// <summary>What is wrong with the resources, each as (field, problem); empty when nothing is.</summary>
    public IEnumerable<(string Field, string Problem)> Problems()
    {
        if (Partition is { } partition && !PartitionName().IsMatch(partition))
            yield return ("partition", $"'{partition}' is not a Slurm partition name (letters, digits, '_', '-', '.')");
        if (Cpus < 1) yield return ("cpus", $"cpus must be at least 1, got {Cpus}");
        if (Memory is { } memory && !MemoryAmount().IsMatch(memory))
            yield return ("memory", $"'{memory}' is not an amount of memory as Slurm's --mem takes it, such as 512M or 4G");
        if (TimeLimit is { } limit && !TimeLimitFormat().IsMatch(limit))
            yield return ("timeLimit", $"'{limit}' is not a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)");
    }

    [GeneratedRegex("^[A-Za-z0-9_.-]+$")]
    private static partial Regex PartitionName();

    [GeneratedRegex("^[0-9]+[KMGT]?$")]
    private static partial Regex MemoryAmount();

    [GeneratedRegex(@"^([0-9]+|[0-9]+:[0-9]{1,2}|[0-9]+:[0-9]{1,2}:[0-9]{1,2}|[0-9]+-[0-9]{1,2}|[0-9]+-[0-9]{1,2}:[0-9]{1,2}|[0-9]+-[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2})$")]
    private static partial Regex TimeLimitFormat();
}
