namespace DataBuild.Execution;

/// <summary>
/// Threads that block in waitpid(2) for the exit of one child each, reused from run to run. A thread started per
/// job run cost about 0.2 ms of CPU a run (bench/analysis.md); these are started only when every one is busy, so
/// there are as many as the most job runs that were ever in flight at once, idle between runs until the process
/// ends. Blocking is the point: a job runs for milliseconds to hours, and a blocked thread-pool thread would
/// starve the pool.
/// </summary>
internal static class Reapers
{
    private static readonly object Gate = new();
    private static readonly Queue<(int Pid, Func<int, int> Reap, TaskCompletionSource<int> Exited)> Pending = new();
    // Waiting threads not yet claimed by an enqueue: each enqueue either claims one (and wakes it) or starts one.
    private static int _unclaimed;

    /// <summary>Completes with what <paramref name="reap"/> returns for <paramref name="pid"/>, called on a reaper thread.</summary>
    public static Task<int> WaitAsync(int pid, Func<int, int> reap)
    {
        var exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (Gate)
        {
            Pending.Enqueue((pid, reap, exited));
            if (_unclaimed > 0)
            {
                _unclaimed--;
                Monitor.Pulse(Gate);
                return exited.Task;
            }
        }
        new Thread(Serve, maxStackSize: 256 * 1024) { IsBackground = true, Name = "waitpid" }.Start();
        return exited.Task;
    }

    private static void Serve()
    {
        while (true)
        {
            (int Pid, Func<int, int> Reap, TaskCompletionSource<int> Exited) next;
            lock (Gate)
            {
                // A busy reaper may have taken the entry this one was woken or started for: then it waits again.
                while (Pending.Count == 0)
                {
                    _unclaimed++;
                    Monitor.Wait(Gate);
                }
                next = Pending.Dequeue();
            }
            try
            {
                next.Exited.SetResult(next.Reap(next.Pid));
            }
            catch (Exception e)
            {
                next.Exited.SetException(e);
            }
        }
    }
}
