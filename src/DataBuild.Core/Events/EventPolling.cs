using System.Diagnostics;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Events;

/// <summary>
/// <see cref="IEventStorage.WaitForEventsAsync"/> for backends that cannot announce appends: look for an
/// event after the cursor every <see cref="Interval"/> until one is there or the timeout passes.
/// </summary>
public static class EventPolling
{
    /// <summary>Short enough that a follower feels live, long enough that an idle one costs next to nothing.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private static readonly EventFilter AnyEvent = new();

    public static async Task WaitAsync(IEventStorage storage, long sinceIndex, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sinceIndex);
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (storage.List(sinceIndex, AnyEvent, 1).Events.Count > 0) return;
            var left = timeout - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero) return;
            await Task.Delay(left < Interval ? left : Interval, cancellationToken);
        }
    }
}
