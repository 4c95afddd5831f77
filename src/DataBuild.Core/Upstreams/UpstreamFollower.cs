using System.Threading.Channels;
using DataBuild.Events;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Upstreams;

/// <summary>
/// Asks one upstream graph for some partitions and follows them to their end, off the build's loop: a build request
/// there, then its events by long poll. AVAILABLE is final as soon as it is seen; a FAILED partition is final when
/// the upstream's build ends (a job there may retry it); a CANCELLED one (that build was cancelled, or lost with its
/// service) is asked for again. An upstream that cannot be reached is asked again, with a new build request, after
/// a doubling backoff, however long it takes: it is never taken for "not available". Everything it learns goes to
/// the build's loop as <see cref="UpstreamNews"/>.
/// </summary>
internal sealed class UpstreamFollower(IUpstreamGraphs client, UpstreamAddress address, IReadOnlyList<string> partitions, string requestedBy,
    Backoff backoff, TimeSpan pollWait)
{
    private readonly HashSet<string> _remaining = new(partitions, StringComparer.Ordinal);

    public UpstreamAddress Address { get; } = address;

    public IReadOnlyList<string> Partitions { get; } = partitions;

    public async Task RunAsync(ChannelWriter<UpstreamNews> news, CancellationToken cancellationToken)
    {
        var failures = 0;
        while (_remaining.Count > 0)
        {
            var id = Guid.CreateVersion7().ToString();
            news.TryWrite(new UpstreamNews.Requested(Address.Url, Remaining(), id));
            try
            {
                await client.SubmitBuildAsync(Address, id, Remaining(), requestedBy, cancellationToken);
                news.TryWrite(new UpstreamNews.Waiting(Address.Url, Remaining(), id));
                failures = 0;
                if (await FollowAsync(id, news, cancellationToken) == Outcome.AskAgain) await Task.Delay(backoff.First, cancellationToken);
            }
            catch (UpstreamUnreachableException e)
            {
                var delay = backoff.After(++failures);
                news.TryWrite(new UpstreamNews.Unreachable(Address.Url, Remaining(), e.Message, delay));
                await Task.Delay(delay, cancellationToken);
            }
            catch (UpstreamRefusedException e)
            {
                news.TryWrite(new UpstreamNews.Failed(Address.Url, Remaining(), id, 0, $"{Address.Url} refused to build them: {e.Message}"));
                return;
            }
        }
    }

    private enum Outcome { Done, AskAgain }

    // Follows the upstream build request `id` until every remaining partition has its answer, or it must be asked again.
    private async Task<Outcome> FollowAsync(string id, ChannelWriter<UpstreamNews> news, CancellationToken cancellationToken)
    {
        var failed = new Dictionary<string, (string Reason, long Index)>(StringComparer.Ordinal);
        var since = 0L;
        while (_remaining.Count > 0)
        {
            var page = await client.ListEventsAsync(Address, id, since, pollWait, cancellationToken);
            foreach (var stored in page.Events)
            {
                var e = stored.Event;
                if (e.BuildRequestId != id) continue;
                if (e.PartitionEvent is { } p && _remaining.Contains(p.PartitionRef.Str))
                {
                    var partition = p.PartitionRef.Str;
                    switch (p.Status)
                    {
                        case PartitionStatus.PartitionAvailable:
                            _remaining.Remove(partition);
                            failed.Remove(partition);
                            news.TryWrite(new UpstreamNews.Available(Address.Url, [partition], id, stored.Index));
                            break;
                        case PartitionStatus.PartitionFailed:
                            failed[partition] = (p.Message, stored.Index);
                            break;
                        case PartitionStatus.PartitionCancelled:
                            return Outcome.AskAgain;
                    }
                }
                else if (e.BuildRequestEvent is { } r && StateMachines.IsTerminal(r.Status))
                {
                    return Ended(id, r, failed, news);
                }
            }
            since = page.NextSinceIndex;
        }
        return Outcome.Done;
    }

    // The upstream's build ended with partitions still unanswered: those it failed fail here with its reason.
    private Outcome Ended(string id, BuildRequestEvent request, Dictionary<string, (string Reason, long Index)> failed, ChannelWriter<UpstreamNews> news)
    {
        foreach (var (partition, (reason, index)) in failed.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            _remaining.Remove(partition);
            news.TryWrite(new UpstreamNews.Failed(Address.Url, [partition], id, index, $"{Address.Url} failed it: {reason}"));
        }
        if (_remaining.Count == 0) return Outcome.Done;
        if (request.Status != BuildRequestStatus.BuildRequestFailed) return Outcome.AskAgain;
        news.TryWrite(new UpstreamNews.Failed(Address.Url, Remaining(), id, 0, $"{Address.Url} failed its build request {id}: {request.Message}"));
        _remaining.Clear();
        return Outcome.Done;
    }

    private string[] Remaining() => _remaining.Order(StringComparer.Ordinal).ToArray();
}
