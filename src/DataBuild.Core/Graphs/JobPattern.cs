using DataBuild.Refs;

namespace DataBuild.Graphs;

/// <summary>One output pattern of one job.</summary>
public sealed record JobPattern(JobDefinition Job, PartitionPattern Pattern)
{
    public override string ToString() => $"'{Pattern}' of job '{Job.Label}'";
}
