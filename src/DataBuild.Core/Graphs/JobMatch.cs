using DataBuild.Refs;

namespace DataBuild.Graphs;

/// <summary>
/// The job that produces one ref, the pattern that matched it and that pattern's captures. When several
/// patterns of the same job match, <see cref="Pattern"/> is the most specific: the longest literal prefix.
/// </summary>
public sealed record JobMatch(JobDefinition Job, PartitionPattern Pattern, IReadOnlyDictionary<string, string> Captures);
