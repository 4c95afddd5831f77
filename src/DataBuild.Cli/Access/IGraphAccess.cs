using DataBuild.Proto;
using DataBuild.Wants;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Cli.Access;

/// <summary>
/// What the commands that also work against a service (<c>--server</c>) read and do, in the messages of
/// databuild.proto: <see cref="LocalGraph"/> opens the log, <see cref="RemoteGraph"/> calls <c>databuild serve</c>.
/// The commands render both the same way (DataBuild.Rendering), so the output does not depend on which it is.
/// </summary>
public interface IGraphAccess
{
    /// <summary>The log's URI or the service's address, for messages.</summary>
    string Name { get; }

    /// <summary>Partitions matching any selector (all when none), sorted by ref, then each literal ref the log never mentioned, as UNKNOWN.</summary>
    Task<IReadOnlyList<PartitionDetail>> PartitionsAsync(IReadOnlyList<string> selectors, CancellationToken cancellationToken);

    /// <summary>The latest <paramref name="limit"/> job runs of the given jobs (any when empty) and build request (any when null), latest last.</summary>
    Task<IReadOnlyList<JobRunDetail>> RunsAsync(IReadOnlyList<string> jobs, string? buildRequestId, int limit, CancellationToken cancellationToken);

    /// <summary>Copies the log of <paramref name="run"/>, as far as it is written, to <paramref name="output"/>; with <paramref name="follow"/>, then what comes until the run has ended.</summary>
    Task CopyLogAsync(JobRunDetail run, Stream output, bool follow, CancellationToken cancellationToken);

    /// <summary>At most <paramref name="limit"/> events after <paramref name="since"/> matching <paramref name="filter"/>, oldest first.</summary>
    IAsyncEnumerable<StoredEvent> EventsAsync(long since, EventFilter filter, int limit, CancellationToken cancellationToken);

    /// <summary>The events there are, then each new one as it is committed, until cancelled.</summary>
    IAsyncEnumerable<StoredEvent> FollowAsync(long since, EventFilter filter, CancellationToken cancellationToken);

    /// <summary>Every want (or the active ones), oldest first.</summary>
    Task<IReadOnlyList<WantDetail>> WantsAsync(bool activeOnly, CancellationToken cancellationToken);

    Task<WantDetail> CreateWantAsync(WantRequest request, CancellationToken cancellationToken);

    /// <summary>Cancels an active want and its child wants; the ids cancelled.</summary>
    Task<IReadOnlyList<string>> CancelWantAsync(string wantId, string reason, CancellationToken cancellationToken);

    /// <summary>
    /// Records that the built partitions matching <paramref name="selectors"/> (refs or globs) must be rebuilt; the
    /// refs invalidated, sorted. Throws <see cref="UsageException"/> when a selector is not a ref or glob or names nothing built.
    /// </summary>
    Task<IReadOnlyList<string>> InvalidateAsync(IReadOnlyList<string> selectors, string reason, string requestedBy, CancellationToken cancellationToken);

    /// <summary>Builds <paramref name="request"/>'s refs, reporting progress as it goes; how it ended.</summary>
    Task<BuildResult> BuildAsync(BuildCall request, IProgress<BuildProgress> progress, CancellationToken cancellationToken);
}

/// <summary>
/// A build as the command line asks for it. <see cref="Parallelism"/> and <see cref="KillGrace"/> are the building
/// process's: a service builds with its own (<c>databuild serve --parallelism</c>).
/// </summary>
public sealed record BuildCall(IReadOnlyList<string> Refs, bool Force, bool RebuildStale, string? BuildRequestId, int? Parallelism, TimeSpan? KillGrace,
    Graphs.ExecutorKind? Executor = null);
