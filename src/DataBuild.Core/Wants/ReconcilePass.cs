using DataBuild.Engine;
using DataBuild.Proto;

namespace DataBuild.Wants;

/// <summary>What one reconcile pass found and did.</summary>
/// <param name="ActiveWants">Wants still active when the pass ended.</param>
/// <param name="BuildsByJob">The partitions the pass asked to build, by the job that produces them.</param>
/// <param name="Unbuildable">Wanted partitions no single job produces any more (the graph changed), with why.</param>
/// <param name="Deferred">Wanted partitions not built this pass because their last builds failed (<see cref="RetryBackoff"/>), with when they will be.</param>
/// <param name="Build">The pass's build, or null when it had nothing to build.</param>
/// <param name="BuildError">Why the build failed before running jobs (a configure failure, a cycle), or empty.</param>
/// <param name="Recorded">Want events the pass wrote, by status; CREATED counts child wants.</param>
/// <param name="ScheduledWants">Wants the pass recorded for schedules' ticks (<see cref="ScheduleTicks"/>).</param>
public sealed record ReconcilePass(
    int Number,
    int ActiveWants,
    IReadOnlyDictionary<string, IReadOnlyList<string>> BuildsByJob,
    IReadOnlyDictionary<string, string> Unbuildable,
    IReadOnlyDictionary<string, DeferredRetry> Deferred,
    BuildResult? Build,
    string BuildError,
    IReadOnlyDictionary<WantStatus, int> Recorded,
    int ScheduledWants = 0)
{
    public bool BuildFailed => BuildError.Length > 0 || Build is { Succeeded: false };

    public int Count(WantStatus status) => Recorded.GetValueOrDefault(status);
}
