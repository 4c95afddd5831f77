using System.Diagnostics;

namespace DataBuild.Events.Storage;

/// <summary>
/// A lock shared by every process on one machine, held by keeping <c>&lt;path&gt;.lock</c> open. .NET takes
/// an OS advisory lock for the sharing mode (on Unix: <c>flock</c>, exclusive for <see cref="FileShare.None"/>,
/// shared otherwise), and the OS drops it when the process dies, so a killed writer never leaves the log locked.
/// </summary>
internal sealed class FileLock : IDisposable
{
    private static readonly Backoff Backoff = new(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(50));
    private readonly FileStream _handle;

    private FileLock(FileStream handle) => _handle = handle;

    /// <summary>Waits, retrying with backoff, until the lock is granted or <paramref name="timeout"/> passes.</summary>
    public static FileLock Acquire(string lockPath, bool exclusive, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        for (var failures = 1; ; failures++)
        {
            try
            {
                return new FileLock(exclusive
                    ? new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)
                    : new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite));
            }
            catch (IOException e) when (e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
            {
                if (clock.Elapsed >= timeout)
                    throw new TimeoutException($"Could not lock '{lockPath}' within {timeout.TotalSeconds:0.#} s: another process keeps appending to the log.", e);
                Thread.Sleep(Backoff.After(failures) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2)));
            }
        }
    }

    public void Dispose() => _handle.Dispose();
}
