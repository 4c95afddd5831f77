using DataBuild.Graphs;
using DataBuild.Proto;

namespace DataBuild.Engine;

/// <summary>
/// Analysis (docs/architecture.md#the-flow): from refs to the job graph that produces them, recursively over MATERIALIZE
/// inputs, in waves. Each wave runs one configure per job carrying all of that job's refs in the wave (never
/// one process per ref), the jobs of a wave in parallel. An analysis can be extended later, when a job run
/// reports missing dependencies.
/// </summary>
public sealed class GraphAnalysis
{
    private readonly GraphManifest _graph;
    private readonly GraphLookup _lookup;
    private readonly IJobConfigurer _configurer;
    private readonly Func<string, bool> _alreadyAvailable;
    private readonly int _parallelism;
    private readonly List<AnalyzedTask> _tasks = [];
    private readonly Dictionary<string, AnalyzedTask> _producers = new(StringComparer.Ordinal);
    private readonly List<string> _awaited = [];
    private readonly HashSet<string> _awaitedSet = new(StringComparer.Ordinal);

    /// <param name="alreadyAvailable">Refs for which this returns true are not analysed further: they exist and will not be rebuilt.</param>
    public GraphAnalysis(GraphManifest graph, GraphLookup lookup, IJobConfigurer configurer, Func<string, bool> alreadyAvailable, int parallelism)
    {
        _graph = graph;
        _lookup = lookup;
        _configurer = configurer;
        _alreadyAvailable = alreadyAvailable;
        _parallelism = Math.Max(1, parallelism);
    }

    public IReadOnlyList<AnalyzedTask> Tasks => _tasks;

    public List<string> Requested { get; } = [];

    /// <summary>Called with each wave's inputs before any of them is judged available, so their checks are done together.</summary>
    public Func<IReadOnlyList<string>, CancellationToken, System.Threading.Tasks.Task>? BeforeJudging { get; init; }

    /// <summary>The task producing <paramref name="partitionRef"/>, or null when no task of this graph does.</summary>
    public AnalyzedTask? ProducerOf(string partitionRef) => _producers.GetValueOrDefault(partitionRef);

    /// <summary>Refs not available here that an upstream graph produces (docs/service.md#upstream-graphs), in the order found: asked of it, never analysed.</summary>
    public IReadOnlyList<string> Awaited => _awaited;

    public bool IsAwaited(string partitionRef) => _awaitedSet.Contains(partitionRef);

    /// <summary>Number of configure processes run so far (one per job per wave).</summary>
    public int ConfigureCalls { get; private set; }

    /// <summary>
    /// Analyses <paramref name="refs"/> and everything they need that is not already available or analysed;
    /// returns the tasks added. Throws <see cref="LookupException"/>, <see cref="ConfigureFailedException"/>
    /// or <see cref="GraphCycleException"/>; on a throw the analysis is unchanged.
    /// </summary>
    public async Task<IReadOnlyList<AnalyzedTask>> AddAsync(IEnumerable<string> refs, CancellationToken cancellationToken)
    {
        var added = new List<AnalyzedTask>();
        var pending = refs.Where(r => !_producers.ContainsKey(r)).Distinct(StringComparer.Ordinal).ToList();
        var firstTask = _tasks.Count;
        var firstAwaited = _awaited.Count;
        try
        {
            while (pending.Count > 0)
            {
                foreach (var external in pending.Where(r => _graph.UpstreamOf(r) is not null && _awaitedSet.Add(r))) _awaited.Add(external);
                var groups = _lookup.Lookup(pending.Where(r => !_awaitedSet.Contains(r))).Jobs;
                var configs = await ConfigureWave(groups, cancellationToken);
                var wave = new List<AnalyzedTask>();
                foreach (var (job, jobConfigs) in configs)
                {
                    foreach (var config in jobConfigs)
                    {
                        var task = new AnalyzedTask(_tasks.Count, job, config);
                        CheckExtraOutputs(task);
                        _tasks.Add(task);
                        wave.Add(task);
                        foreach (var output in task.Outputs) _producers[output] = task;
                    }
                }
                added.AddRange(wave);
                var inputs = wave
                    .SelectMany(t => t.MaterializeInputs)
                    .Where(input => !_producers.ContainsKey(input) && !_awaitedSet.Contains(input))
                    .Distinct(StringComparer.Ordinal)
                    .ToList();
                if (BeforeJudging is not null) await BeforeJudging(inputs, cancellationToken);
                pending = inputs.Where(input => !_alreadyAvailable(input)).ToList();
            }
            CheckForCycles(added);
            return added;
        }
        catch
        {
            RemoveTasksFrom(firstTask);
            _awaitedSet.ExceptWith(_awaited.Skip(firstAwaited));
            _awaited.RemoveRange(firstAwaited, _awaited.Count - firstAwaited);
            throw;
        }
    }

    private void RemoveTasksFrom(int firstTask)
    {
        foreach (var task in _tasks.Skip(firstTask))
            foreach (var output in task.Outputs)
                if (_producers.TryGetValue(output, out var producer) && producer == task) _producers.Remove(output);
        _tasks.RemoveRange(firstTask, _tasks.Count - firstTask);
    }

    /// <summary>
    /// Records that <paramref name="task"/> needs <paramref name="refs"/> too (its run reported them missing),
    /// analysing those not yet known; returns the tasks added. On a throw nothing changes.
    /// </summary>
    public async Task<IReadOnlyList<AnalyzedTask>> AddInputsAsync(AnalyzedTask task, IReadOnlyList<string> refs, CancellationToken cancellationToken)
    {
        var firstTask = _tasks.Count;
        if (BeforeJudging is not null) await BeforeJudging(refs, cancellationToken);
        var added = await AddAsync(refs.Where(r => !_alreadyAvailable(r)), cancellationToken);
        var newInputs = refs.Where(r => !task.MaterializeInputs.Contains(r)).Distinct(StringComparer.Ordinal).ToArray();
        task.MaterializeInputs.AddRange(newInputs);
        try
        {
            CheckForCycles([task]);
        }
        catch (GraphCycleException)
        {
            task.MaterializeInputs.RemoveRange(task.MaterializeInputs.Count - newInputs.Length, newInputs.Length);
            RemoveTasksFrom(firstTask);
            throw;
        }
        return added;
    }

    /// <summary>The job graph in the schema's shape, for the BEL and <c>analyze --format json</c>.</summary>
    public JobGraph ToJobGraph() => ToJobGraph(_tasks, Requested);

    /// <summary>The part of the job graph made of <paramref name="tasks"/>, built for <paramref name="outputs"/>.</summary>
    public JobGraph ToJobGraph(IEnumerable<AnalyzedTask> tasks, IEnumerable<string> outputs)
    {
        var graph = new JobGraph { Label = new GraphLabel { Label = _graph.Label } };
        graph.Outputs.AddRange(outputs.Select(r => new PartitionRef { Str = r }));
        graph.Nodes.AddRange(tasks.Select(t => new Proto.Task { Job = new JobLabel { Label = t.Job.Label }, Config = t.Config }));
        return graph;
    }

    private async Task<List<(JobDefinition Job, IReadOnlyList<JobConfig> Configs)>> ConfigureWave(
        IReadOnlyList<JobRefs> groups, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(_parallelism);
        var calls = groups.Select(async group =>
        {
            await slots.WaitAsync(cancellationToken);
            try
            {
                var configs = await _configurer.ConfigureAsync(group.Job, group.Refs, cancellationToken);
                return (group.Job, configs);
            }
            finally
            {
                slots.Release();
            }
        }).ToArray();
        ConfigureCalls += calls.Length;
        return [.. await System.Threading.Tasks.Task.WhenAll(calls)];
    }

    // A config may batch outputs nobody asked for, but only ones its own job is declared to produce and no other config produces.
    private void CheckExtraOutputs(AnalyzedTask task)
    {
        foreach (var output in task.Outputs)
        {
            if (!task.Job.Outputs.Any(p => p.IsMatch(output)))
                throw new ConfigureFailedException(task.Job.Label, task.Outputs,
                    $"it returned output {output}, which matches none of its patterns ({string.Join(", ", task.Job.Outputs)})");
            if (_producers.TryGetValue(output, out var earlier))
                throw new ConfigureFailedException(task.Job.Label, task.Outputs,
                    $"it returned output {output}, which an earlier config already produces ({earlier}); each partition has one producing config");
        }
    }

    private void CheckForCycles(IReadOnlyList<AnalyzedTask> added)
    {
        // Iterative depth-first search over "task needs the producer of its input"; colours: 0 new, 1 on stack, 2 done.
        var colour = new Dictionary<AnalyzedTask, int>();
        foreach (var start in added)
        {
            if (colour.GetValueOrDefault(start) != 0) continue;
            var stack = new Stack<(AnalyzedTask Task, int Next, string Via)>();
            stack.Push((start, 0, start.Outputs[0]));
            colour[start] = 1;
            while (stack.Count > 0)
            {
                var (task, next, via) = stack.Pop();
                if (next < task.MaterializeInputs.Count)
                {
                    stack.Push((task, next + 1, via));
                    var input = task.MaterializeInputs[next];
                    if (!_producers.TryGetValue(input, out var producer)) continue;
                    var state = colour.GetValueOrDefault(producer);
                    if (state == 1) throw new GraphCycleException(DescribeCycle(stack, producer, input));
                    if (state == 0)
                    {
                        colour[producer] = 1;
                        stack.Push((producer, 0, input));
                    }
                }
                else
                {
                    colour[task] = 2;
                }
            }
        }
    }

    private static List<string> DescribeCycle(Stack<(AnalyzedTask Task, int Next, string Via)> stack, AnalyzedTask producer, string input)
    {
        var path = stack.Reverse().ToList();
        var from = path.FindIndex(frame => frame.Task == producer);
        var cycle = path.Skip(from).Select(frame => frame.Via).ToList();
        // The loop is closed through `input`, one of the producer's outputs: start and end the story there.
        cycle[0] = input;
        cycle.Add(input);
        return cycle;
    }
}
