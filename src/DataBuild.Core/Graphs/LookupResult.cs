using DataBuild.Proto;

namespace DataBuild.Graphs;

/// <summary>
/// Requested refs grouped by the job that produces them: jobs ordered by label, refs ordered and without
/// duplicates (ordinal order), so the same request always gives the same configure calls.
/// </summary>
public sealed class LookupResult(IReadOnlyList<JobRefs> jobs)
{
    public IReadOnlyList<JobRefs> Jobs { get; } = jobs;

    /// <summary>The result as the schema's <see cref="GraphLookupResponse"/>, one <see cref="TaskRef"/> per job.</summary>
    public GraphLookupResponse ToProto()
    {
        var response = new GraphLookupResponse();
        foreach (var group in Jobs)
        {
            var task = new TaskRef { Job = new JobLabel { Label = group.Job.Label } };
            task.Outputs.AddRange(group.Refs.Select(r => new PartitionRef { Str = r }));
            response.TaskRefs.Add(task);
        }
        return response;
    }
}

/// <summary>The refs of one lookup that <see cref="Job"/> produces.</summary>
public sealed class JobRefs(JobDefinition job, IReadOnlyList<string> refs)
{
    public JobDefinition Job { get; } = job;

    public IReadOnlyList<string> Refs { get; } = refs;
}
