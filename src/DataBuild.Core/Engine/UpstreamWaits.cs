using System.Threading.Channels;
using DataBuild.Events;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;
using DataBuild.Upstreams;

namespace DataBuild.Engine;

/// <summary>
/// A build's partitions from upstream graphs (docs/service.md#upstream-graphs), on the build's loop: starts a
/// <see cref="UpstreamFollower"/> per upstream for the refs the analysis found there, records what they learn (an
/// UpstreamEvent per step, and the partitions' own events in this request so the catalog knows them), reports it
/// as progress, and releases the tasks that read a partition once it is AVAILABLE, or fails them with the
/// upstream's reason.
/// </summary>
internal sealed class UpstreamWaits(BuildContext build, Action<AnalyzedTask, string> fail) : IAsyncDisposable
{
    private static readonly TimeSpan PollWait = TimeSpan.FromSeconds(30);

    private readonly Channel<UpstreamNews> _news = Channel.CreateUnbounded<UpstreamNews>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _followers = [];
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
    private readonly HashSet<string> _open = new(StringComparer.Ordinal);

    /// <summary>True while a partition the build itself was asked for is still awaited upstream.</summary>
    public bool AwaitsRequested(IReadOnlyList<string> requested) => requested.Any(_open.Contains);

    public bool HasOpen => _open.Count > 0;

    /// <summary>Asks the upstreams for every awaited ref of the analysis not asked for yet, one follower per upstream.</summary>
    public void AskForNew(GraphAnalysis analysis)
    {
        var fresh = analysis.Awaited.Where(_asked.Add).ToArray();
        if (fresh.Length == 0) return;
        var manifest = build.Engine.Graph;
        var requestedBy = $"graph {manifest.Label} build request {build.Id}";
        foreach (var group in fresh.GroupBy(r => manifest.UpstreamOf(r)!))
        {
            var refs = group.Order(StringComparer.Ordinal).ToArray();
            _open.UnionWith(refs);
            var address = new UpstreamAddress(group.Key.Url, manifest.TokenFileOf(group.Key));
            if (build.Engine.Upstreams is not { } client)
            {
                _news.Writer.TryWrite(new UpstreamNews.Failed(address.Url, refs, "", 0,
                    "this program cannot reach upstream graphs; build with the databuild command or in databuild serve"));
                continue;
            }
            var follower = new UpstreamFollower(client, address, refs, requestedBy,
                new Backoff(build.Options.RetryDelay, build.Options.MaxRetryDelay), PollWait);
            _followers.Add(Task.Run(() => follower.RunAsync(_news.Writer, _stop.Token)));
        }
    }

    /// <summary>Completes when a follower has news for <see cref="Record"/>.</summary>
    public Task WhenNewsAsync(CancellationToken cancellationToken) => _news.Reader.WaitToReadAsync(cancellationToken).AsTask();

    /// <summary>Records everything the followers learnt since the last call, and moves the tasks waiting on it.</summary>
    public void Record()
    {
        while (_news.Reader.TryRead(out var news))
        {
            var url = news.Url;
            var open = news.Partitions.Where(_open.Contains).ToArray();
            if (open.Length == 0) continue;
            switch (news)
            {
                case UpstreamNews.Requested asked:
                    var events = open.Where(r => build.Recorder.StatusOf(r) == PartitionStatus.PartitionUnknown)
                        .Select(r => build.Recorder.SetPartition(r, PartitionStatus.PartitionRequested, message: $"asked of upstream {url}")).ToList();
                    events.Add(NewEvent.Upstream(build.Id, open, UpstreamStatus.UpstreamRequested, url, asked.BuildRequestId));
                    build.Writes.Append(events);
                    Report(BuildProgressKind.UpstreamRequested, url, open, p => p.BuildRequestId = asked.BuildRequestId);
                    break;
                case UpstreamNews.Waiting waiting:
                    build.Writes.Append(NewEvent.Upstream(build.Id, open, UpstreamStatus.UpstreamWaiting, url, waiting.BuildRequestId));
                    break;
                case UpstreamNews.Unreachable down:
                    build.Writes.Append(NewEvent.Upstream(build.Id, open, UpstreamStatus.UpstreamUnreachable, url,
                        message: $"{down.Reason}; asking again in {down.RetryIn.TotalSeconds:0.#}s"));
                    Report(BuildProgressKind.UpstreamUnreachable, url, open, p =>
                    {
                        p.Reason = down.Reason;
                        p.RetryDelaySeconds = down.RetryIn.TotalSeconds;
                    });
                    break;
                case UpstreamNews.Available available:
                    Arrived(available, open, url);
                    break;
                case UpstreamNews.Failed failed:
                    Failed(failed, open, url);
                    break;
            }
        }
    }

    private void Arrived(UpstreamNews.Available available, string[] refs, string url)
    {
        var why = $"available from upstream {url} (its build request {available.BuildRequestId}, event {available.Index})";
        var events = new List<BuildEvent> { NewEvent.Upstream(build.Id, refs, UpstreamStatus.UpstreamAvailable, url, available.BuildRequestId, available.Index) };
        events.AddRange(refs.Select(r => build.Recorder.SetPartition(r, PartitionStatus.PartitionAvailable, message: why)));
        build.Writes.Append(events);
        _open.ExceptWith(refs);
        Report(BuildProgressKind.UpstreamAvailable, url, refs, p => p.BuildRequestId = available.BuildRequestId);
        foreach (var r in refs) build.Board.Arrived(r);
    }

    private void Failed(UpstreamNews.Failed failed, string[] refs, string url)
    {
        var events = new List<BuildEvent>();
        // A refusal before any build there has no wait recorded yet: the failure is written against the ask.
        if (failed.BuildRequestId.Length > 0)
            events.Add(NewEvent.Upstream(build.Id, refs, UpstreamStatus.UpstreamFailed, url, failed.BuildRequestId, failed.Index, failed.Reason));
        events.AddRange(refs.Where(r => build.Recorder.StatusOf(r) == PartitionStatus.PartitionRequested)
            .Select(r => build.Recorder.SetPartition(r, PartitionStatus.PartitionFailed, message: failed.Reason)));
        build.Writes.Append(events);
        _open.ExceptWith(refs);
        Report(BuildProgressKind.UpstreamFailed, url, refs, p => p.Reason = failed.Reason);
        foreach (var r in refs)
            foreach (var task in build.Board.AwaitingOn(r).ToArray())
            {
                build.Writes.Append(task.Outputs.Select(o => build.Recorder.SetPartition(o, PartitionStatus.PartitionFailed, message: $"upstream {r}: {failed.Reason}")).ToList());
                fail(task, $"upstream {r}: {failed.Reason}");
            }
    }

    private void Report(BuildProgressKind kind, string url, IReadOnlyList<string> refs, Action<BuildProgress> details) =>
        build.Progress.Report(kind, details: p =>
        {
            p.Upstream = url;
            p.Partitions.AddRange(refs);
            details(p);
        });

    /// <summary>Stops following: the build has ended. Partitions it no longer waits for are closed as cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_followers.Select(f => f.ContinueWith(_ => { }, TaskScheduler.Default)));
        _stop.Dispose();
    }

    /// <summary>The partitions still awaited when the build ends, closed in this request.</summary>
    public void CloseOpen(string why)
    {
        var open = _open.Where(r => build.Recorder.StatusOf(r) == PartitionStatus.PartitionRequested).Order(StringComparer.Ordinal).ToArray();
        if (open.Length > 0) build.Writes.Append(open.Select(r => build.Recorder.SetPartition(r, PartitionStatus.PartitionCancelled, message: why)).ToList());
        _open.Clear();
    }
}
