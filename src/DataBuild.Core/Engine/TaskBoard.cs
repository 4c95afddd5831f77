namespace DataBuild.Engine;

public enum TaskState
{
    Pending,
    Running,
    RetryWait,
    Delegated,
    Done,
    Failed,
}

/// <summary>
/// The scheduling state of a build's tasks: each task's state, how many of its upstream tasks are not done
/// yet (and of the partitions it awaits from upstream graphs), and the set of tasks ready to start in a stable order. Every change is O(dependents), so a build of
/// many thousands of tasks never rescans them all.
/// </summary>
internal sealed class TaskBoard(GraphAnalysis analysis)
{
    internal sealed class Entry(AnalyzedTask task)
    {
        public AnalyzedTask Task { get; } = task;
        public TaskState State { get; set; }
        public int UnmetUpstreams { get; set; }
        public List<AnalyzedTask> Dependents { get; } = [];
        public int Attempts { get; set; }
        public int MissingDepsRounds { get; set; }
        public DateTimeOffset RetryAt { get; set; }
        /// <summary>The log index this build had read up to when it last judged that the task must run.</summary>
        public long JudgedAt { get; set; }
        public HashSet<string> DelegatedPartitions { get; } = new(StringComparer.Ordinal);
    }

    private static readonly Comparer<AnalyzedTask> ById = Comparer<AnalyzedTask>.Create((a, b) => a.Id.CompareTo(b.Id));

    private readonly Dictionary<AnalyzedTask, Entry> _entries = [];
    private readonly SortedSet<AnalyzedTask> _ready = new(ById);
    private readonly SortedSet<AnalyzedTask> _waiting = new(ById);
    private readonly int[] _counts = new int[Enum.GetValues<TaskState>().Length];
    private readonly Dictionary<string, HashSet<AnalyzedTask>> _awaiting = new(StringComparer.Ordinal);
    private readonly HashSet<string> _arrived = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public int CountOf(TaskState state) => _counts[(int)state];

    /// <summary>True while some task may still run: pending, running, waiting to retry or waiting on another build.</summary>
    public bool HasWork => CountOf(TaskState.Pending) + CountOf(TaskState.Running) + CountOf(TaskState.RetryWait) + CountOf(TaskState.Delegated) > 0;

    /// <summary>Pending tasks whose upstreams are all done, lowest id first.</summary>
    public IReadOnlyCollection<AnalyzedTask> Ready => _ready;

    /// <summary>Tasks waiting to retry or on another build.</summary>
    public IReadOnlyCollection<AnalyzedTask> Waiting => _waiting;

    public Entry this[AnalyzedTask task] => _entries[task];

    /// <param name="judgedAt">The log index the analysis that found <paramref name="tasks"/> had read up to.</param>
    public void Add(IReadOnlyList<AnalyzedTask> tasks, long judgedAt)
    {
        foreach (var task in tasks)
        {
            _entries[task] = new Entry(task) { JudgedAt = judgedAt };
            _counts[(int)TaskState.Pending]++;
        }
        foreach (var task in tasks) Link(task);
    }

    /// <summary>Re-reads the upstreams of <paramref name="task"/> after its inputs grew.</summary>
    public void InputsChanged(AnalyzedTask task)
    {
        foreach (var entry in _entries.Values) entry.Dependents.Remove(task);
        Link(task);
    }

    /// <summary>Moves a task to <paramref name="state"/>. Returns the pending tasks that can now never run when it failed.</summary>
    public IReadOnlyList<AnalyzedTask> Set(AnalyzedTask task, TaskState state)
    {
        var entry = _entries[task];
        _counts[(int)entry.State]--;
        _counts[(int)state]++;
        entry.State = state;
        _ready.Remove(task);
        _waiting.Remove(task);
        if (state is TaskState.RetryWait or TaskState.Delegated) _waiting.Add(task);
        if (state == TaskState.Pending && entry.UnmetUpstreams == 0) _ready.Add(task);
        if (state == TaskState.Done)
        {
            foreach (var dependent in entry.Dependents)
            {
                var d = _entries[dependent];
                d.UnmetUpstreams--;
                if (d.UnmetUpstreams == 0 && d.State == TaskState.Pending) _ready.Add(dependent);
            }
        }
        return state == TaskState.Failed ? entry.Dependents.Where(d => _entries[d].State == TaskState.Pending).ToArray() : [];
    }

    /// <summary>A partition awaited from an upstream graph is available: the tasks reading it wait for it no more.</summary>
    public void Arrived(string partitionRef)
    {
        if (!_arrived.Add(partitionRef) || !_awaiting.Remove(partitionRef, out var tasks)) return;
        foreach (var task in tasks)
        {
            var entry = _entries[task];
            entry.UnmetUpstreams--;
            if (entry.UnmetUpstreams == 0 && entry.State == TaskState.Pending) _ready.Add(task);
        }
    }

    /// <summary>The pending tasks that read <paramref name="partitionRef"/>, awaited from an upstream graph.</summary>
    public IEnumerable<AnalyzedTask> AwaitingOn(string partitionRef) =>
        _awaiting.TryGetValue(partitionRef, out var tasks) ? tasks.Where(t => _entries[t].State == TaskState.Pending) : [];

    private void Link(AnalyzedTask task)
    {
        var entry = _entries[task];
        entry.UnmetUpstreams = 0;
        var producers = task.MaterializeInputs
            .Select(analysis.ProducerOf)
            .OfType<AnalyzedTask>()
            .Where(producer => producer != task)
            .Distinct();
        foreach (var producer in producers)
        {
            var upstream = _entries[producer];
            if (!upstream.Dependents.Contains(task)) upstream.Dependents.Add(task);
            if (upstream.State != TaskState.Done) entry.UnmetUpstreams++;
        }
        foreach (var input in task.MaterializeInputs.Where(i => analysis.IsAwaited(i) && !_arrived.Contains(i)).Distinct(StringComparer.Ordinal))
        {
            if (!_awaiting.TryGetValue(input, out var tasks)) _awaiting[input] = tasks = [];
            tasks.Add(task);
            entry.UnmetUpstreams++;
        }
        if (entry.State == TaskState.Pending && entry.UnmetUpstreams == 0) _ready.Add(task);
        else _ready.Remove(task);
    }

    /// <summary>How long until a waiting task is due again: a retry at its time, a delegated one at the next poll; null when none waits.</summary>
    public TimeSpan? NextWakeUp(DateTimeOffset now, TimeSpan pollInterval)
    {
        TimeSpan? wake = null;
        foreach (var task in _waiting)
        {
            var entry = this[task];
            var next = entry.State == TaskState.RetryWait ? entry.RetryAt - now : pollInterval;
            if (wake is null || next < wake) wake = next;
        }
        return wake is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wake;
    }
}
