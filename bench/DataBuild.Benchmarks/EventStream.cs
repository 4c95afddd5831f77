using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Benchmarks;

/// <summary>
/// An endless stream of the events a build writes, in an order the access layer accepts: for each job run,
/// its partition analyzed, the run scheduled (with its config), the partition building, the run running,
/// then completed, and the partition available. Refs and job labels spread over layers, as in the e2e
/// graphs, so the filter indexes and the catalog see realistic keys. Every id, ref and label carries the
/// stream's own tag, so streams never collide, even in a log shared with earlier runs.
/// </summary>
internal sealed class EventStream(int layers = 10)
{
    public const int EventsPerRun = 6;

    private long _next;

    public string Tag { get; } = Guid.NewGuid().ToString("N")[..8];

    public string BuildRequestId => $"{Tag}-0000-7000-8000-000000000000";

    /// <summary>The first events of the stream's build request, which every later event needs in the log before it.</summary>
    public IReadOnlyList<BuildEvent> Opening() =>
    [
        Stamp(NewEvent.Request(BuildRequestId, BuildRequestStatus.BuildRequestReceived, [RefOf(0)])),
        Stamp(NewEvent.Request(BuildRequestId, BuildRequestStatus.BuildRequestPlanning)),
        Stamp(NewEvent.Request(BuildRequestId, BuildRequestStatus.BuildRequestAnalysisCompleted)),
        Stamp(NewEvent.Request(BuildRequestId, BuildRequestStatus.BuildRequestExecuting)),
    ];

    public string RunId(long run) => $"{Tag}-0000-7000-8001-{run:x12}";

    public string RefOf(long run) => $"{Tag}/layer={run % layers}/part={run / layers}";

    public string LabelOf(long run) => $"{Tag}-layer{run % layers}";

    public BuildEvent Next()
    {
        var run = _next / EventsPerRun;
        var step = _next % EventsPerRun;
        _next++;
        var runId = RunId(run);
        var partition = RefOf(run);
        var label = LabelOf(run);
        var e = step switch
        {
            0 => NewEvent.Partition(BuildRequestId, partition, PartitionStatus.PartitionAnalyzed),
            1 => NewEvent.Job(BuildRequestId, runId, label, [partition], JobStatus.JobScheduled, j =>
            {
                j.Config = ConfigOf(run, partition);
                j.Attempt = 1;
                j.LogPath = $".databuild/logs/{runId}.log";
            }),
            2 => NewEvent.Partition(BuildRequestId, partition, PartitionStatus.PartitionBuilding, runId),
            3 => NewEvent.Job(BuildRequestId, runId, label, [partition], JobStatus.JobRunning),
            4 => NewEvent.Job(BuildRequestId, runId, label, [partition], JobStatus.JobCompleted, j => j.DurationMs = 3),
            _ => NewEvent.Partition(BuildRequestId, partition, PartitionStatus.PartitionAvailable, runId),
        };
        return Stamp(e);
    }

    public List<BuildEvent> Take(int count)
    {
        var events = new List<BuildEvent>(count);
        for (var i = 0; i < count; i++) events.Add(Next());
        return events;
    }

    // Stamped here rather than by the access layer, so storage-only appends get the same events.
    private static BuildEvent Stamp(BuildEvent e)
    {
        e.EventId = Guid.CreateVersion7().ToString();
        e.Timestamp = BuildEventLog.UnixNanos(DateTimeOffset.UtcNow);
        e.SchemaVersion = EventSchema.CurrentVersion;
        return e;
    }

    private JobConfig ConfigOf(long run, string partition)
    {
        var config = new JobConfig();
        config.Outputs.Add(NewEvent.Ref(partition));
        if (run % layers > 0)
        {
            // Two inputs from the layer below: parts p and p + 1.
            config.Inputs.Add(new DataDep { DepType = DepType.Materialize, PartitionRef = NewEvent.Ref(RefOf(run - 1)) });
            config.Inputs.Add(new DataDep { DepType = DepType.Materialize, PartitionRef = NewEvent.Ref(RefOf(run - 1 + layers)) });
        }
        return config;
    }
}
