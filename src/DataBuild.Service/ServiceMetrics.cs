namespace DataBuild.Service;

/// <summary>Counters the service keeps itself; what the log knows (runs by status, events) is read from the views.</summary>
public sealed class ServiceMetrics
{
    private readonly Lock _gate = new();
    private long _polls;
    private double _pollSeconds;
    private long _buildsSubmitted;
    private int _activeLongPolls;

    public long BuildsSubmitted => Interlocked.Read(ref _buildsSubmitted);

    public int ActiveLongPolls => Volatile.Read(ref _activeLongPolls);

    public (long Count, double Seconds) Polls
    {
        get
        {
            lock (_gate) return (_polls, _pollSeconds);
        }
    }

    public void BuildSubmitted() => Interlocked.Increment(ref _buildsSubmitted);

    /// <summary>Takes one of <paramref name="limit"/> long-poll places; false when all are taken.</summary>
    public bool TryStartLongPoll(int limit)
    {
        if (Interlocked.Increment(ref _activeLongPolls) <= limit) return true;
        Interlocked.Decrement(ref _activeLongPolls);
        return false;
    }

    public void EndLongPoll() => Interlocked.Decrement(ref _activeLongPolls);

    /// <summary>Records how long an events call took to answer.</summary>
    public void Polled(TimeSpan took)
    {
        lock (_gate)
        {
            _polls++;
            _pollSeconds += took.TotalSeconds;
        }
    }
}
