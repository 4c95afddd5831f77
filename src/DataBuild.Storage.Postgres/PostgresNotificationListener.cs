using Npgsql;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Storage.Postgres;

/// <summary>
/// Keeps one connection listening on a log's notification channel and wakes whoever waits on
/// <see cref="NextWake"/> at each notification. Started by the first waiter; reconnects after any failure,
/// and wakes everyone when it does, since whatever was committed while it was not listening went unannounced.
/// </summary>
internal sealed class PostgresNotificationListener(NpgsqlDataSource dataSource, string channel) : IDisposable
{
    // A connection that silently died (a cable pulled, a host gone) gives no error while it waits; a query
    // now and then finds out, so the listener reconnects instead of waiting forever.
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private TaskCompletionSource _nextWake = NewWake();
    private Task? _listening;

    /// <summary>
    /// A task that completes at the next notification or reconnection. Take it before looking at the log:
    /// anything committed after the look then completes it, so a waiter cannot miss it between the two.
    /// </summary>
    public Task NextWake()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            _listening ??= Task.Run(() => ListenAsync(_stopping.Token));
            return _nextWake.Task;
        }
    }

    public void Dispose()
    {
        Task? listening;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested) return;
            _stopping.Cancel();
            listening = _listening;
        }
        // The loop ends on cancellation; waiting a moment closes its connection before the pool goes away.
        listening?.Wait(TimeSpan.FromSeconds(5));
    }

    private async Task ListenAsync(CancellationToken stopping)
    {
        var backoff = FirstBackoff;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stopping);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }
                Wake();
                backoff = FirstBackoff;
                while (true)
                {
                    if (await connection.WaitAsync(ProbeInterval, stopping)) continue;
                    await using var probe = new NpgsqlCommand("SELECT 1", connection);
                    await probe.ExecuteNonQueryAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // Whatever broke the connection, waiters lose only promptness: they list again at their
                // timeout. So the listener never gives up, it only slows down.
                try
                {
                    await Task.Delay(backoff, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
        }
    }

    private void Wake()
    {
        TaskCompletionSource woken;
        lock (_gate)
        {
            woken = _nextWake;
            _nextWake = NewWake();
        }
        woken.TrySetResult();
    }

    // Waiters continue on the thread pool, not inside the listener's loop.
    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
