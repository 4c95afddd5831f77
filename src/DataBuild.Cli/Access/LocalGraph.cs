using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Refs;
using DataBuild.Reports;
using DataBuild.Wants;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Cli.Access;

/// <summary>The graph's own log, opened by this process (the caller owns <paramref name="workspace"/>): the default.</summary>
public sealed class LocalGraph(GraphWorkspace workspace) : IGraphAccess
{
    public string Name => workspace.BelUri;

    public async Task<IReadOnlyList<PartitionDetail>> PartitionsAsync(IReadOnlyList<string> selectors, CancellationToken cancellationToken)
    {
        var views = workspace.Views();
        var catalog = views.Catalog;
        var lookup = workspace.Engine.Lookup;
        var states = catalog.Query(selectors, workspace.Engine.JobIdentities);
        var presence = workspace.Engine.NewPresenceCheck(catalog);
        await presence.CheckAsync(states.Where(s => s.Status is PartitionStatus.PartitionAvailable or PartitionStatus.PartitionStale).Select(s => s.Ref).ToArray(),
            cancellationToken);
        var partitions = states.Select(s => DetailMessages.Partition(s, lookup, views, presence)).ToList();
        // A ref asked for by name that the log never mentioned is shown, not silently left out.
        foreach (var literal in selectors.Select(PartitionPattern.Parse).Where(p => p.IsLiteral && catalog.Get(p.Text) is null))
            partitions.Add(DetailMessages.Unknown(literal.Text, lookup));
        return partitions;
    }

    public Task<IReadOnlyList<JobRunDetail>> RunsAsync(IReadOnlyList<string> jobs, string? buildRequestId, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JobRunDetail>>(workspace.Views().Runs.All
            .Where(r => jobs.Count == 0 || jobs.Contains(r.JobLabel))
            .Where(r => buildRequestId is null || r.BuildRequestId == buildRequestId)
            .TakeLast(limit)
            .Select(r => DetailMessages.Run(r, workspace))
            .ToArray());

    public async Task CopyLogAsync(JobRunDetail run, Stream output, bool follow, CancellationToken cancellationToken)
    {
        var views = workspace.Views();
        var offset = 0L;
        var found = false;
        while (true)
        {
            // Its file when this machine has it, else the event log's copy (docs/event-log.md#run-logs).
            var slice = JobRunLogs.Read(workspace.LogDirectory, workspace.Log.Storage.RunLogs, run.JobRunId, offset, LogChunkBytes);
            if (slice is not null)
            {
                found = true;
                await output.WriteAsync(slice.Bytes, cancellationToken);
                offset += slice.Bytes.Length;
                if (offset < slice.Length) continue;
            }
            if (!follow) break;
            // Ended and read to the end: read once more after the end was seen, so no last line is missed.
            if (views.Runs.Get(run.JobRunId) is { } known && StateMachines.IsTerminal(known.Status))
            {
                if (JobRunLogs.Read(workspace.LogDirectory, workspace.Log.Storage.RunLogs, run.JobRunId, offset, 1)?.Bytes.Length is not > 0) break;
                continue;
            }
            await output.FlushAsync(cancellationToken);
            await Task.Delay(FollowPoll, cancellationToken);
            views.Refresh(workspace.Log);
        }
        if (!found)
            throw new UsageException($"job run {run.JobRunId} has no log at '{workspace.JobRunLogPath(run.JobRunId)}'" +
                (workspace.Log.Storage.RunLogs is null ? "" : " nor in the event log") + " (it may not have started, or the log was removed)");
    }

    private const int LogChunkBytes = 1024 * 1024;

    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(250);

    public IAsyncEnumerable<StoredEvent> EventsAsync(long since, EventFilter filter, int limit, CancellationToken cancellationToken) =>
        workspace.Log.ReadAll(since, filter, pageSize: Math.Min(1000, limit)).Take(limit).ToAsyncEnumerable();

    public IAsyncEnumerable<StoredEvent> FollowAsync(long since, EventFilter filter, CancellationToken cancellationToken) =>
        workspace.Log.Storage.FollowAsync(since, filter, cancellationToken);

    public Task<IReadOnlyList<WantDetail>> WantsAsync(bool activeOnly, CancellationToken cancellationToken)
    {
        var views = workspace.Views();
        var now = workspace.Log.Clock.GetUtcNow();
        return Task.FromResult<IReadOnlyList<WantDetail>>(views.Wants.All
            .Where(w => !activeOnly || w.IsActive)
            .Select(w => DetailMessages.Want(WantReport.Of(w, views.Catalog, workspace.Engine.Lookup, now)))
            .ToArray());
    }

    public Task<WantDetail> CreateWantAsync(WantRequest request, CancellationToken cancellationToken)
    {
        var id = WantCommands.Create(workspace.Engine, request);
        var views = workspace.Views();
        return Task.FromResult(DetailMessages.Want(WantReport.Of(views.Wants.Get(id)!, views.Catalog, workspace.Engine.Lookup, workspace.Log.Clock.GetUtcNow())));
    }

    public Task<IReadOnlyList<string>> CancelWantAsync(string wantId, string reason, CancellationToken cancellationToken) =>
        Task.FromResult(WantCommands.Cancel(workspace.Log, workspace.Views().Wants, wantId, reason));

    public Task<IReadOnlyList<string>> InvalidateAsync(IReadOnlyList<string> selectors, string reason, string requestedBy, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Invalidation.Record(workspace.Log, workspace.Views().Catalog, selectors, reason, requestedBy));
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    public Task<BuildResult> BuildAsync(BuildCall request, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        var options = workspace.DefaultOptions() with
        {
            Parallelism = request.Parallelism ?? Environment.ProcessorCount,
            Force = request.Force,
            RebuildStale = request.RebuildStale,
            BuildRequestId = request.BuildRequestId,
            KillGrace = request.KillGrace ?? Execution.ProcessRunner.DefaultKillGrace,
            Executor = request.Executor,
        };
        return workspace.Engine.BuildAsync(request.Refs, options, progress, cancellationToken);
    }
}
