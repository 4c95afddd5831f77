using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Storage.Tests;

/// <summary>
/// One process writing to a shared log through its own storage instance, validator and views, as a build does:
/// each <see cref="Step"/> is one batch of a build request's life (received, analysed, a job run scheduled or
/// ended, finished), or a want made or ended. Several of them on one log, stepped in a random order, are builds
/// running at once; <see cref="Crash"/> abandons the build in progress, as a kill would.
/// </summary>
internal sealed class SimulatedWriter(IEventStorage storage, Random random, string name) : IDisposable
{
    private static readonly string[] Pool = Enumerable.Range(0, 8).Select(i => $"data/p={i}").ToArray();

    private readonly Dictionary<string, string> _runs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);
    private string[] _partitions = [];
    private string? _request;
    private int _stage;
    private int _counter;

    public BuildEventLog Log { get; } = new(storage);

    public BuildEventViews Views { get; } = new();

    /// <summary>The build request in progress, if any.</summary>
    public string? Request => _request;

    public void Step()
    {
        Views.Refresh(Log);
        try
        {
            if (_request is null) Start();
            else Advance(_request);
        }
        catch (InvalidEventException)
        {
            // Another writer got there first (a partition it is building, a want it ended): nothing of the batch was written.
        }
    }

    /// <summary>Abandons the build in progress, its request left open, as a killed process leaves it.</summary>
    public void Crash()
    {
        _request = null;
        _runs.Clear();
        _failed.Clear();
    }

    /// <summary>Closes a request another writer abandoned, as lost-work recovery does.</summary>
    public void Recover(string buildRequestId)
    {
        Views.Refresh(Log);
        try
        {
            Log.Append(LostWork.CloseEvents(Log, Views, buildRequestId, BuildRequestStatus.BuildRequestCancelled, "lost"));
        }
        catch (InvalidEventException)
        {
            // Closed already.
        }
    }

    private void Start()
    {
        if (random.Next(5) == 0)
        {
            ChangeWants();
            return;
        }
        _request = $"{name}-br{_counter++}";
        _stage = 0;
        _partitions = Pool.OrderBy(_ => random.Next()).Take(random.Next(1, 4)).ToArray();
        var events = new List<BuildEvent>
        {
            NewEvent.Request(_request, BuildRequestStatus.BuildRequestReceived, _partitions, owner: new RunOwner { Host = name, Pid = 1 }),
            NewEvent.Request(_request, BuildRequestStatus.BuildRequestPlanning),
        };
        events.AddRange(_partitions.Select(p => NewEvent.Partition(_request, p, PartitionStatus.PartitionRequested)));
        Append(events);
    }

    private void ChangeWants()
    {
        var active = Views.Wants.Active.ToArray();
        if (active.Length > 0 && random.Next(2) == 0)
        {
            var want = active[random.Next(active.Length)];
            Append([new BuildEvent { WantEvent = new WantEvent { WantId = want.WantId, Status = random.Next(2) == 0 ? WantStatus.WantSatisfied : WantStatus.WantSlaMissed } }]);
            return;
        }
        var id = $"{name}-want{_counter++}";
        Append([new BuildEvent { WantEvent = new WantEvent { WantId = id, Status = WantStatus.WantCreated, TtlSeconds = 3600, Partitions = { NewEvent.Ref(Pool[random.Next(Pool.Length)]) } } }]);
    }

    private void Advance(string request)
    {
        switch (_stage)
        {
            case 0:
                var graph = new JobGraph();
                foreach (var p in _partitions) graph.Nodes.Add(new Proto.Task { Config = Config(p) });
                var analysed = new List<BuildEvent> { NewEvent.Request(request, BuildRequestStatus.BuildRequestAnalysisCompleted), NewEvent.Graph(request, graph) };
                analysed.AddRange(_partitions.Select(p => NewEvent.Partition(request, p, PartitionStatus.PartitionAnalyzed)));
                Append(analysed);
                _stage = 1;
                break;
            case 1:
                Append([NewEvent.Request(request, BuildRequestStatus.BuildRequestExecuting), NewEvent.Heartbeat(request, new RunOwner { Host = name }, 1_800_000_000_000_000_000)]);
                _stage = 2;
                break;
            case 2 when _partitions.FirstOrDefault(p => !_runs.ContainsKey(p) && !_failed.Contains(p)) is { } next:
                Schedule(request, next);
                break;
            case 2:
                _stage = 3;
                break;
            case 3 when _runs.Keys.FirstOrDefault() is { } running:
                Finish(request, running);
                break;
            default:
                var status = _failed.Count == 0 ? BuildRequestStatus.BuildRequestCompleted : BuildRequestStatus.BuildRequestFailed;
                Append([NewEvent.Request(request, status, message: _failed.Count == 0 ? "" : "not built")]);
                Crash();
                break;
        }
    }

    private void Schedule(string request, string partition)
    {
        var run = $"{request}-run{_counter++}";
        try
        {
            Log.Append(
                NewEvent.Job(request, run, "job", [partition], JobStatus.JobScheduled, j =>
                {
                    j.Config = Config(partition);
                    j.JobVersion = random.Next(2) == 0 ? "1" : "2";
                    j.CodeKey = $"code-{j.JobVersion}";
                    j.Attempt = 1;
                }),
                NewEvent.Job(request, run, "job", [partition], JobStatus.JobRunning, j => j.LogPath = $"/logs/{run}.log"),
                NewEvent.Partition(request, partition, PartitionStatus.PartitionBuilding, run));
            _runs[partition] = run;
        }
        catch (PartitionAlreadyBuildingException)
        {
            Append([NewEvent.Partition(request, partition, PartitionStatus.PartitionFailed, message: "another build has it")]);
            _failed.Add(partition);
        }
    }

    private void Finish(string request, string partition)
    {
        var run = _runs[partition];
        _runs.Remove(partition);
        switch (random.Next(4))
        {
            case 0:
                _failed.Add(partition);
                Append([
                    NewEvent.Job(request, run, "job", [partition], JobStatus.JobFailed, j => { j.ExitCode = 1; j.Message = "exit 1"; }),
                    NewEvent.Partition(request, partition, PartitionStatus.PartitionFailed, run, "exit 1")]);
                break;
            case 1:
                _failed.Add(partition);
                var missing = new MissingDeps { Impacted = { NewEvent.Ref(partition) }, Missing = { NewEvent.Ref(Pool[random.Next(Pool.Length)]) } };
                Append([
                    NewEvent.Job(request, run, "job", [partition], JobStatus.JobMissingDeps, j => j.MissingDeps.Add(missing)),
                    NewEvent.Partition(request, partition, PartitionStatus.PartitionAnalyzed, run),
                    NewEvent.Partition(request, partition, PartitionStatus.PartitionFailed, message: "missing deps")]);
                break;
            default:
                Append([
                    NewEvent.Job(request, run, "job", [partition], JobStatus.JobCompleted, j => j.DurationMs = random.Next(1000)),
                    NewEvent.Partition(request, partition, PartitionStatus.PartitionAvailable, run)]);
                break;
        }
    }

    private static JobConfig Config(string partition)
    {
        var config = new JobConfig { Outputs = { NewEvent.Ref(partition) }, Args = { partition } };
        var n = int.Parse(partition[(partition.IndexOf('=') + 1)..]);
        if (n > 0) config.Inputs.Add(new DataDep { DepType = DepType.Materialize, PartitionRef = NewEvent.Ref(Pool[n - 1]) });
        return config;
    }

    private void Append(IReadOnlyList<BuildEvent> events) => Log.Append(events);

    public void Dispose() => Log.Dispose();
}
