using System.Diagnostics;
using Npgsql;

namespace DataBuild.Storage.Postgres;

/// <summary>
/// Runs a whole unit of work against the server again when it fails for a reason that can pass: a dropped
/// connection, a server restarting or shutting down. A unit is one transaction or one statement, so a retry
/// starts it from the beginning; an append retried after a commit whose answer was lost finds its events
/// stored and returns their indexes, so nothing is written twice.
/// </summary>
internal sealed class PostgresRetry(NpgsqlDataSource dataSource, TimeSpan budget)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(1);

    /// <param name="onRetry">Called before each wait with the failure being retried.</param>
    public T Run<T>(Func<T> work, Action<Exception>? onRetry = null)
    {
        var clock = Stopwatch.StartNew();
        var backoff = FirstBackoff;
        while (true)
        {
            try
            {
                return work();
            }
            catch (Exception e) when (IsTransient(e) && clock.Elapsed + backoff < budget)
            {
                onRetry?.Invoke(e);
                // After a restart every idle pooled connection is dead too: dropping them spares a failed try each.
                dataSource.Clear();
                Thread.Sleep(backoff);
                backoff = backoff * 2 < MaxBackoff ? backoff * 2 : MaxBackoff;
            }
        }
    }

    /// <summary>
    /// Npgsql's own verdict, plus the shutdown errors a server sends its sessions as it stops (57P01 admin
    /// shutdown, 57P02 crash shutdown) and refuses new ones while it starts or stops (57P03).
    /// </summary>
    public static bool IsTransient(Exception e) =>
        e is NpgsqlException { IsTransient: true } or PostgresException { SqlState: "57P01" or "57P02" or "57P03" };
}
