namespace DataBuild.Engine;

/// <summary>
/// A parallelism limit shared by several builds in one process (the service's <c>--parallelism</c>): a build
/// given one in <see cref="BuildOptions.SharedSlots"/> takes a slot before it starts a job run and returns it
/// when the run ends, on top of its own <see cref="BuildOptions.Parallelism"/> and each job's maxConcurrency.
/// </summary>
public sealed class JobSlots
{
    private readonly Lock _gate = new();
    private TaskCompletionSource _freed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inUse;

    public JobSlots(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    public int InUse
    {
        get
        {
            lock (_gate) return _inUse;
        }
    }

    /// <summary>Takes a slot when one is free.</summary>
    public bool TryTake()
    {
        lock (_gate)
        {
            if (_inUse >= Capacity) return false;
            _inUse++;
            return true;
        }
    }

    public void Return()
    {
        TaskCompletionSource freed;
        lock (_gate)
        {
            if (_inUse == 0) throw new InvalidOperationException("a job slot was returned that was never taken");
            _inUse--;
            freed = _freed;
            _freed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        freed.TrySetResult();
    }

    /// <summary>Completes at once when a slot is free, else the next time any build returns one.</summary>
    public Task WhenFreeAsync(CancellationToken cancellationToken)
    {
        lock (_gate) return _inUse < Capacity ? Task.CompletedTask : _freed.Task.WaitAsync(cancellationToken);
    }
}
