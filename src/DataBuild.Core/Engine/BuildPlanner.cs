using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Engine;

/// <summary>
/// Planning (docs/architecture.md#the-flow): analyses the requested partitions that are not available (all of them with
/// Force), records the job graph and each partition's state, and puts the tasks on the build's board.
/// </summary>
internal static class BuildPlanner
{
    /// <summary>Plans the build; the analysis it returns has no tasks when there is nothing to build.</summary>
    public static async Task<GraphAnalysis> PlanAsync(BuildContext build, IReadOnlyList<string> requested, CancellationToken cancellationToken)
    {
        build.RefreshViews();
        var options = build.Options;
        var recorder = build.Recorder;
        var asked = requested.ToHashSet(StringComparer.Ordinal);
        // One batch of stats (and one exists call per job that has the verb) for the requested partitions and their recorded upstreams.
        await build.Presence.CheckAsync(requested, cancellationToken);
        var analysis = new GraphAnalysis(build.Engine.Graph, build.Engine.Lookup, build.Engine.Configurer,
            r => !(options.Force && asked.Contains(r)) && build.IsAvailable(r), options.Parallelism)
        {
            BeforeJudging = build.Presence.CheckAsync,
        };
        analysis.Requested.AddRange(requested);

        build.Writes.Append(requested.Select(r => recorder.SetPartition(r, PartitionStatus.PartitionRequested)).ToList());
        await analysis.AddAsync(requested.Where(r => options.Force || !build.IsAvailable(r)), cancellationToken);
        build.Board = new TaskBoard(analysis);
        build.Board.Add(analysis.Tasks, build.Views.Cursor);

        var events = new List<BuildEvent> { NewEvent.Graph(build.Id, analysis.ToJobGraph()) };
        foreach (var task in analysis.Tasks)
            foreach (var output in task.Outputs) events.Add(recorder.SetPartition(output, PartitionStatus.PartitionAnalyzed));
        // Decided after analysis: a batched config may rebuild a requested partition that is available.
        foreach (var r in requested.Where(r => analysis.ProducerOf(r) is null && !analysis.IsAwaited(r))) events.Add(recorder.FoundAvailable(r));
        events.Add(NewEvent.Request(build.Id, BuildRequestStatus.BuildRequestAnalysisCompleted,
            message: $"{analysis.Tasks.Count} job runs planned, {analysis.ConfigureCalls} configure calls"));
        if (analysis.Tasks.Count > 0 || analysis.Awaited.Count > 0) events.Add(NewEvent.Request(build.Id, BuildRequestStatus.BuildRequestExecuting));
        build.Writes.Append(events);
        build.Progress.Report(BuildProgressKind.Planned, details: p =>
        {
            p.PlannedJobRuns = analysis.Tasks.Count;
            p.RequestedPartitions = requested.Count;
        });
        return analysis;
    }
}
