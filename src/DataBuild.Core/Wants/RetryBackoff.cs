using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Wants;

/// <summary>A wanted partition the reconciler leaves alone for now, because its last builds failed.</summary>
public sealed record DeferredRetry(int FailedBuilds, DateTimeOffset RetryAt);

/// <summary>
/// How long the reconciler waits before building a wanted partition again after builds that failed it:
/// <see cref="First"/> after one failed build, doubling with each further one, never more than
/// <see cref="Max"/>. A job that fails for good is then not run every pass, while one that failed for a
/// passing reason is soon tried again. Read from the catalog, so every reconciler on a log agrees, and a
/// restarted one keeps waiting; a build that gets the partition built (any build, `databuild build` too)
/// starts the count again.
/// </summary>
public sealed record RetryBackoff(TimeSpan First, TimeSpan Max)
{
    public static readonly RetryBackoff Default = new(TimeSpan.FromSeconds(10), TimeSpan.FromHours(1));

    /// <summary>When the partition may be built again, or null when nothing holds it back.</summary>
    public DeferredRetry? Deferral(PartitionState? state, DateTimeOffset now)
    {
        if (state is not { Status: PartitionStatus.PartitionFailed, Failures: { Count: > 0 } failures }) return null;
        var retryAt = BuildEventLog.FromUnixNanos(failures.LastFailedAt) + Wait(failures.Count);
        return retryAt > now ? new DeferredRetry(failures.Count, retryAt) : null;
    }

    /// <summary>The wait after <paramref name="failedBuilds"/> failed builds in a row.</summary>
    public TimeSpan Wait(int failedBuilds) => new Backoff(First, Max).After(failedBuilds);
}
