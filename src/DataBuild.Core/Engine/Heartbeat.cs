using DataBuild.Events;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Engine;

/// <summary>
/// Renews a build request's lease while it runs, so builds elsewhere do not take it for lost (<see cref="LostWork"/>).
/// A renewal the log refuses to store ends the heartbeat and is kept in <see cref="Failure"/> for the build to act on.
/// </summary>
internal sealed class Heartbeat : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _beating;

    public Heartbeat(BuildEventLog log, string buildRequestId, BuildOptions options) =>
        _beating = BeatAsync(log, buildRequestId, options, _stop.Token);

    /// <summary>Why the last renewal could not be written, or null while they all could.</summary>
    public EventStorageFailedException? Failure { get; private set; }

    /// <summary>Stops renewing; the lease then runs out on its own. Safe to call more than once.</summary>
    public async Task StopAsync()
    {
        if (!_stop.IsCancellationRequested) await _stop.CancelAsync();
        await _beating;
    }

    // A build that ends by an exception stops renewing here, at once.
    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }

    private async Task BeatAsync(BuildEventLog log, string id, BuildOptions options, CancellationToken stop)
    {
        try
        {
            while (true)
            {
                log.Append(NewEvent.Heartbeat(id, Owners.Current, BuildEventLog.UnixNanos(log.Clock.GetUtcNow() + options.Lease)));
                await Task.Delay(options.HeartbeatInterval, stop);
            }
        }
        catch (OperationCanceledException)
        {
            // The build is finishing.
        }
        catch (EventStorageFailedException e)
        {
            Failure = e;
        }
    }
}
