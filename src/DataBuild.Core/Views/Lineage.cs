using DataBuild.Proto;

namespace DataBuild.Views;

/// <summary>
/// A partition's lineage as last built: the inputs of the run that last built it (upstreams), and the
/// partitions whose last build read it (downstreams, sorted). Downstreams come from the job runs' index of what each
/// completed run read, so a partition's lineage costs its readers, not every run of the log.
/// </summary>
public sealed record Lineage(IReadOnlyList<DataDep> Upstreams, IReadOnlyList<string> Downstreams)
{
    public static Lineage Of(BuildEventViews views, PartitionState state)
    {
        IReadOnlyList<DataDep> upstreams = state.LastBuilt is { JobRunId.Length: > 0 } built && views.Runs.Get(built.JobRunId)?.Config is { } config
            ? config.Inputs
            : [];
        var downstreams = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var run in views.Runs.CompletedReadersOf(state.Ref))
        {
            foreach (var output in run.Targets)
                if (views.Catalog.Get(output)?.LastBuilt?.JobRunId == run.JobRunId) downstreams.Add(output);
        }
        return new Lineage(upstreams, [.. downstreams]);
    }
}
