namespace DataBuild.Job;

/// <summary>
/// A DataBuild job written in C#. <see cref="JobHost.Run"/> turns it into an executable that honours the
/// job contract (docs/job-contract.md): <c>configure</c> calls <see cref="Configure"/>, <c>exec</c> calls
/// <see cref="ExecuteAsync"/>.
/// </summary>
public interface IDataBuildJob
{
    /// <summary>
    /// Groups <paramref name="refs"/> (every ref of one analysis wave that this job owns, without duplicates)
    /// into run configs. Each ref must be in the outputs of exactly one config; a config may batch several.
    /// </summary>
    IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs);

    /// <summary>
    /// Builds every output of <paramref name="run"/>, each atomically (see <see cref="AtomicFile"/>). Throw
    /// <see cref="MissingDependenciesException"/> when an input is absent; the graph builds it and runs the
    /// job again. <paramref name="cancellationToken"/> is cancelled on Ctrl-C or SIGTERM.
    /// </summary>
    Task ExecuteAsync(JobRun run, CancellationToken cancellationToken);

    /// <summary>
    /// The <c>exists</c> verb (docs/job-contract.md#exists): which of <paramref name="refs"/> are really there, for a job
    /// that writes where DataBuild cannot stat (a database, object storage) and declares <c>ExistsVerb="true"</c>.
    /// Asked before partitions the log calls built are skipped; a ref left out is rebuilt. By default every ref exists.
    /// </summary>
    IEnumerable<string> Exists(IReadOnlyList<string> refs) => refs;
}
