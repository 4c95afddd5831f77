using System.Collections.Concurrent;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataBuild.Service;

/// <summary>
/// The builds the service runs, many at once, all through Core's engine on the one log and sharing the
/// service's job slots. A build submitted is recorded by the engine as a CLI build would be; stopping the
/// service cancels the builds still running, which record their runs as cancelled, as Ctrl-C does in the CLI.
/// </summary>
public sealed class BuildRunner(GraphState graph, ServiceMetrics metrics, ILogger<BuildRunner> logger) : IHostedService, IDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBuild> _builds = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>A build this service runs, from submission until its last event is written.</summary>
    public sealed class ServiceBuild(string id, IReadOnlyList<string> requested, CancellationTokenSource cancel)
    {
        public string BuildRequestId { get; } = id;
        public IReadOnlyList<string> Requested { get; } = requested;
        public DateTimeOffset SubmittedAt { get; } = DateTimeOffset.UtcNow;
        internal CancellationTokenSource Cancel { get; } = cancel;
        /// <summary>The build's result, once it has ended.</summary>
        internal Task<BuildResult> Done { get; set; } = Task.FromResult(new BuildResult());
    }

    public int Running => _builds.Count;

    public bool IsStopping => _stopping.IsCancellationRequested;

    public ServiceBuild? Get(string buildRequestId) => _builds.GetValueOrDefault(buildRequestId);

    /// <summary>
    /// Starts building <paramref name="refs"/> (already validated) under <paramref name="buildRequestId"/> and returns
    /// at once. Throws <see cref="InvalidOperationException"/> when the service is stopping.
    /// </summary>
    public ServiceBuild Submit(string buildRequestId, IReadOnlyList<string> refs, bool force, bool rebuildStale, string requestedBy = "")
    {
        var options = graph.BuildOptions with { BuildRequestId = buildRequestId, Force = force, RebuildStale = rebuildStale, RequestedBy = requestedBy };
        return Start(buildRequestId, refs, token => graph.Engine.BuildAsync(refs, options, progress: null, token));
    }

    /// <summary>Starts running <paramref name="jobGraph"/> as analysed (checked already) and returns at once; its Done has the result.</summary>
    public ServiceBuild SubmitGraph(string buildRequestId, JobGraph jobGraph)
    {
        var options = graph.BuildOptions with { BuildRequestId = buildRequestId };
        return Start(buildRequestId, jobGraph.Outputs.Select(o => o.Str).ToArray(), token => graph.Engine.ExecuteAsync(jobGraph, options, progress: null, token));
    }

    private ServiceBuild Start(string buildRequestId, IReadOnlyList<string> refs, Func<CancellationToken, Task<BuildResult>> run)
    {
        if (IsStopping) throw new InvalidOperationException("the service is stopping and takes no new builds");
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var build = new ServiceBuild(buildRequestId, refs, cancel);
        if (!_builds.TryAdd(buildRequestId, build))
        {
            cancel.Dispose();
            throw new ArgumentException($"build request {buildRequestId} is already running in this service");
        }
        metrics.BuildSubmitted();
        build.Done = Task.Run(() => RunAsync(build, run));
        return build;
    }

    /// <summary>Asks a build of this service to stop; false when it is not running here.</summary>
    public bool TryCancel(string buildRequestId)
    {
        if (!_builds.TryGetValue(buildRequestId, out var build)) return false;
        try
        {
            build.Cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended just now, of itself.
        }
        return true;
    }

    private async Task<BuildResult> RunAsync(ServiceBuild build, Func<CancellationToken, Task<BuildResult>> run)
    {
        try
        {
            var result = await run(build.Cancel.Token);
            logger.LogInformation("build {BuildRequestId} ended {Status}: {JobRuns} job runs {Message}",
                result.BuildRequestId, result.Status, result.JobRuns, result.Message);
            return result;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The engine recorded the failed request (a configure failure, a cycle); the service goes on.
            logger.LogWarning("build {BuildRequestId} failed: {Message}", build.BuildRequestId, e.Message);
            var failed = new BuildResult { BuildRequestId = build.BuildRequestId, Status = BuildRequestStatus.BuildRequestFailed, Message = e.Message };
            failed.Requested.AddRange(build.Requested);
            return failed;
        }
        finally
        {
            _builds.TryRemove(build.BuildRequestId, out _);
            build.Cancel.Dispose();
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Cancels every build still running and waits until each has recorded its end.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        var running = _builds.Values.Select(b => b.Done).ToArray();
        if (running.Length > 0) logger.LogInformation("cancelling {Count} running builds", running.Length);
        await Task.WhenAll(running);
    }

    public void Dispose() => _stopping.Dispose();
}
