using DataBuild.Execution;
using DataBuild.Graphs;
using DataBuild.Proto;

namespace DataBuild.Engine;

/// <summary>Calls a job's configure for a batch of refs. The process implementation is the contract; benchmarks may configure in-process.</summary>
public interface IJobConfigurer
{
    Task<IReadOnlyList<JobConfig>> ConfigureAsync(JobDefinition job, IReadOnlyList<string> refs, CancellationToken cancellationToken);
}

/// <summary>Runs <c>&lt;command…&gt; configure &lt;refs…&gt;</c> (docs/job-contract.md) through the <see cref="JobRunner"/> that runs exec too.</summary>
public sealed class ProcessJobConfigurer(GraphManifest graph) : IJobConfigurer
{
    private readonly JobRunner _runner = new(graph);

    public async Task<IReadOnlyList<JobConfig>> ConfigureAsync(JobDefinition job, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        var outcome = await _runner.ConfigureAsync(job, refs, cancellationToken);
        return outcome.Configs ?? throw new ConfigureFailedException(job.Label, refs, outcome.Problem);
    }
}
