using DataBuild.Execution;

namespace DataBuild.Engine;

/// <summary>
/// The job runs one build has going, and the limits on starting more: the build's own parallelism, each job's
/// maxConcurrency, and one slot each of the limit shared with the process's other builds (the service's
/// <see cref="BuildOptions.SharedSlots"/>), taken before a run starts and returned when it ends.
/// </summary>
internal sealed class RunningJobs(BuildOptions options)
{
    private readonly Dictionary<Task<JobRunOutcome>, AnalyzedTask> _running = [];
    private readonly Dictionary<string, int> _perJob = new(StringComparer.Ordinal);

    public IReadOnlyCollection<Task<JobRunOutcome>> Runs => _running.Keys;

    /// <summary>A ready task found no free shared slot: the build waits for <see cref="WhenSlotFreeAsync"/> too.</summary>
    public bool WaitingForSharedSlot { get; private set; }

    /// <summary>Whether <paramref name="starting"/> more runs, on top of those going, stay within the build's parallelism.</summary>
    public bool HasRoomFor(int starting) => _running.Count + starting < options.Parallelism;

    public int RunningOf(string jobLabel) => _perJob.GetValueOrDefault(jobLabel);

    public IReadOnlyDictionary<string, int> PerJob => _perJob;

    /// <summary>Takes a shared slot, if there is a shared limit; without a free one, remembers to wait for it.</summary>
    public bool TryTakeSlot()
    {
        if (options.SharedSlots is not { } slots || slots.TryTake()) return true;
        WaitingForSharedSlot = true;
        return false;
    }

    /// <summary>Returns a slot taken for a run that did not start.</summary>
    public void ReturnSlot() => options.SharedSlots?.Return();

    /// <summary>Starts a new round of starting tasks: nothing waits for a shared slot until one is refused again.</summary>
    public void NewRound() => WaitingForSharedSlot = false;

    public Task WhenSlotFreeAsync(CancellationToken cancellationToken) => options.SharedSlots!.WhenFreeAsync(cancellationToken);

    public void Add(Task<JobRunOutcome> run, AnalyzedTask task)
    {
        _running[run] = task;
        _perJob[task.Job.Label] = _perJob.GetValueOrDefault(task.Job.Label) + 1;
    }

    /// <summary>Takes a finished run out of the set, returning its shared slot.</summary>
    public AnalyzedTask Remove(Task<JobRunOutcome> finished)
    {
        var task = _running[finished];
        _running.Remove(finished);
        _perJob[task.Job.Label]--;
        ReturnSlot();
        return task;
    }

    /// <summary>Forgets every run, returning their slots, after they were awaited.</summary>
    public void Clear()
    {
        foreach (var _ in _running.Keys) ReturnSlot();
        _running.Clear();
        _perJob.Clear();
    }
}
