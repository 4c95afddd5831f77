using DataBuild.Execution;
using DataBuild.Graphs;
using DataBuild.Proto;

namespace DataBuild.Engine;

/// <summary>Calls a job's configure for a batch of refs. The process implementation is the contract; benchmarks may configure in-process.</summary>
public interface IJobConfigurer
{
    Task<IReadOnlyList<JobConfig>> ConfigureAsync(JobDefinition job, IReadOnlyList<string> refs, CancellationToken cancellationToken);
}

/// <summary>
/// Runs <c>&lt;command…&gt; configure &lt;refs…&gt;</c> (DESIGN.md §4) in the graph's folder, within the job's
/// configure timeout (<see cref="JobDefinition.DefaultConfigureTimeoutSeconds"/> by default) and the
/// contract's limit on what configure may print (<see cref="JobContract.ConfigureOutputLimit"/>).
/// </summary>
public sealed class ProcessJobConfigurer(GraphManifest graph) : IJobConfigurer
{
    public async Task<IReadOnlyList<JobConfig>> ConfigureAsync(JobDefinition job, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        var seconds = job.ConfigureTimeoutSeconds ?? JobDefinition.DefaultConfigureTimeoutSeconds;
        var result = await ProcessRunner.RunAsync(
            new ProcessSpec(graph.ResolveCommand(job), ["configure", .. refs], graph.WorkingDirectory,
                Timeout: TimeSpan.FromSeconds(seconds), StandardOutputLimit: JobContract.ConfigureOutputLimit), cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        switch (result.Outcome)
        {
            case ProcessOutcome.FailedToStart:
                throw new ConfigureFailedException(job.Label, refs, result.StandardError);
            case ProcessOutcome.TimedOut:
                throw new ConfigureFailedException(job.Label, refs,
                    $"timed out after {seconds}s and was stopped (the job's configureTimeoutSeconds{(job.ConfigureTimeoutSeconds is null ? ", by default " + seconds : "")})");
            case ProcessOutcome.OutputLimitExceeded:
                throw new ConfigureFailedException(job.Label, refs,
                    $"printed more than the limit of {JobContract.ConfigureOutputLimit} characters ({JobContract.ConfigureOutputLimit / (1024 * 1024)} MiB) on stdout and was stopped");
        }
        if (result.ExitCode != 0)
            throw new ConfigureFailedException(job.Label, refs, $"exit code {result.ExitCode}; stderr: {JobContract.Excerpt(result.StandardError)}");
        try
        {
            return JobContract.ParseConfigureOutput(job.Label, refs, result.StandardOutput);
        }
        catch (JobContractException e)
        {
            throw new ConfigureFailedException(job.Label, refs, e.Message);
        }
    }
}
