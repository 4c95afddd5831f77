using DataBuild.Graphs;
using DataBuild.Proto;

namespace DataBuild.Engine;

/// <summary>One node of the job graph: a job and one config it returned.</summary>
public sealed class AnalyzedTask(int id, JobDefinition job, JobConfig config)
{
    public int Id { get; } = id;

    public JobDefinition Job { get; } = job;

    public JobConfig Config { get; } = config;

    public IReadOnlyList<string> Outputs { get; } = config.Outputs.Select(o => o.Str).ToArray();

    /// <summary>The refs this task needs built before it runs; grows when a run reports missing deps.</summary>
    public List<string> MaterializeInputs { get; } = config.Inputs
        .Where(i => i.DepType == DepType.Materialize)
        .Select(i => i.PartitionRef.Str)
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// The config as the job really ran it: its declared inputs plus those its runs reported missing, so
    /// lineage (and staleness) follows dependencies discovered at run time too.
    /// </summary>
    public JobConfig EffectiveConfig()
    {
        var declared = Config.Inputs.Select(i => i.PartitionRef.Str).ToHashSet(StringComparer.Ordinal);
        var discovered = MaterializeInputs.Where(i => !declared.Contains(i)).ToArray();
        if (discovered.Length == 0) return Config;
        var effective = Config.Clone();
        effective.Inputs.AddRange(discovered.Select(i => new DataDep { DepType = DepType.Materialize, PartitionRef = new PartitionRef { Str = i } }));
        return effective;
    }

    public override string ToString() => $"{Job.Label}({string.Join(", ", Outputs)})";
}
