namespace DataBuild;

/// <summary>
/// Doubling backoff, the one rule behind every wait-and-try-again in DataBuild (job retries, the reconciler's
/// deferral of failing partitions, PostgreSQL retries and reconnects, the file log's lock): <see cref="First"/>
/// after the first failure, twice as long after each further one, never more than <see cref="Max"/>.
/// </summary>
public readonly record struct Backoff(TimeSpan First, TimeSpan Max)
{
    /// <summary>The wait after <paramref name="failures"/> failures in a row (1 for the first).</summary>
    public TimeSpan After(int failures)
    {
        var wait = First;
        for (var i = 1; i < failures && wait < Max; i++) wait *= 2;
        return wait < Max ? wait : Max;
    }
}
