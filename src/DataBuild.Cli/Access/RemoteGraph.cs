using System.Runtime.CompilerServices;
using System.Text;
using DataBuild.Engine;
using DataBuild.Proto;
using DataBuild.Refs;
using DataBuild.Service.Client;
using DataBuild.Wants;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Cli.Access;

/// <summary>
/// A running <c>databuild serve</c>, over its HTTP/JSON API (docs/service.md): the commands' reads and writes as API
/// calls, so a machine that cannot open the log can still use it. Builds and wants run in the service, with its options.
/// </summary>
public sealed class RemoteGraph(GraphApiClient client) : IGraphAccess
{
    private const int PageSize = 1000;

    /// <summary>Seconds a long poll waits on the service for a new event before it asks again.</summary>
    private const int PollSeconds = 30;

    /// <summary>A client for <paramref name="server"/>, with the token in <paramref name="tokenFile"/> when one is given.</summary>
    public static GraphApiClient Connect(Uri server, string? tokenFile)
    {
        string? token = null;
        if (tokenFile is not null)
        {
            try
            {
                token = File.ReadAllText(tokenFile).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException($"cannot read --token-file '{tokenFile}': {e.Message}");
            }
            if (token.Length == 0) throw new UsageException($"--token-file '{tokenFile}' is empty: it should hold the service's bearer token");
        }
        return new GraphApiClient(server, token);
    }

    public string Name => $"the service at {client.BaseAddress}";

    public async Task<IReadOnlyList<PartitionDetail>> PartitionsAsync(IReadOnlyList<string> selectors, CancellationToken cancellationToken)
    {
        var partitions = new List<PartitionDetail>();
        var request = new ListPartitionsRequest { PageSize = PageSize, Pattern = { selectors } };
        do
        {
            var page = await client.ListPartitionsAsync(request, cancellationToken);
            partitions.AddRange(page.Partitions);
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);
        var known = partitions.Select(p => p.PartitionRef).ToHashSet(StringComparer.Ordinal);
        // A ref asked for by name that the log never mentioned: the service answers it as UNKNOWN, with its job.
        foreach (var literal in selectors.Select(PartitionPattern.Parse).Where(p => p.IsLiteral && !known.Contains(p.Text)))
            partitions.Add(await client.GetPartitionAsync(literal.Text, cancellationToken));
        return partitions;
    }

    public async Task<IReadOnlyList<JobRunDetail>> RunsAsync(IReadOnlyList<string> jobs, string? buildRequestId, int limit, CancellationToken cancellationToken)
    {
        var runs = new List<JobRunDetail>();
        var request = new ListRunsRequest { PageSize = Math.Min(limit, PageSize), Job = { jobs } };
        if (buildRequestId is not null) request.Request.Add(buildRequestId);
        do
        {
            var page = await client.ListRunsAsync(request, cancellationToken);
            runs.AddRange(page.Runs.Take(limit - runs.Count));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0 && runs.Count < limit);
        // The service lists newest first; the command shows the latest last.
        runs.Reverse();
        return runs;
    }

    public async Task CopyLogAsync(JobRunDetail run, Stream output, bool follow, CancellationToken cancellationToken)
    {
        var offset = 0L;
        while (true)
        {
            var chunk = await client.ReadRunLogAsync(run.JobRunId, offset, cancellationToken);
            var bytes = Encoding.UTF8.GetBytes(chunk.Data);
            await output.WriteAsync(bytes, cancellationToken);
            if (chunk.Complete) return;
            if (chunk.NextOffset > offset)
            {
                offset = chunk.NextOffset;
                continue;
            }
            // As far as it is written: a live run's log is read to its current end, as the local command reads the file.
            if (!follow) return;
            await output.FlushAsync(cancellationToken);
            await Task.Delay(FollowPoll, cancellationToken);
        }
    }

    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(250);

    public async IAsyncEnumerable<StoredEvent> EventsAsync(long since, EventFilter filter, int limit, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var given = 0;
        while (given < limit)
        {
            var page = await client.ListEventsAsync(Request(since, filter, Math.Min(PageSize, limit - given), wait: 0), cancellationToken);
            foreach (var stored in page.Events)
            {
                given++;
                yield return stored;
            }
            if (!page.HasMore || page.NextSinceIndex <= since) yield break;
            since = page.NextSinceIndex;
        }
    }

    public async IAsyncEnumerable<StoredEvent> FollowAsync(long since, EventFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            // A long poll: the service answers as soon as a matching event is committed. Following next_since_index
            // never misses or repeats an event, across restarts of the service too.
            var page = await client.ListEventsAsync(Request(since, filter, PageSize, PollSeconds), cancellationToken);
            foreach (var stored in page.Events) yield return stored;
            since = Math.Max(since, page.NextSinceIndex);
        }
    }

    private static ListEventsRequest Request(long since, EventFilter filter, int limit, int wait) => new()
    {
        Since = since,
        Limit = limit,
        Wait = wait,
        Partition = { filter.PartitionRefs },
        Pattern = { filter.PartitionPatterns },
        Job = { filter.JobLabels },
        Run = { filter.JobRunIds },
        Request = { filter.BuildRequestIds },
        Want = { filter.WantIds },
    };

    public async Task<IReadOnlyList<WantDetail>> WantsAsync(bool activeOnly, CancellationToken cancellationToken) =>
        (await client.ListWantsAsync(all: !activeOnly, cancellationToken)).Wants;

    public Task<WantDetail> CreateWantAsync(WantRequest request, CancellationToken cancellationToken) =>
        client.CreateWantAsync(new CreateWantRequest
        {
            Partitions = { request.Partitions },
            Ttl = request.Ttl is { } ttl ? Durations.Format(ttl) : "",
            Sla = request.Sla is { } sla ? Durations.Format(sla) : "",
            Reason = request.Reason,
            RequestedBy = request.RequestedBy,
        }, cancellationToken);

    public async Task<IReadOnlyList<string>> CancelWantAsync(string wantId, string reason, CancellationToken cancellationToken) =>
        (await client.CancelWantAsync(wantId, reason, cancellationToken)).Cancelled;

    public async Task<IReadOnlyList<string>> InvalidateAsync(IReadOnlyList<string> selectors, string reason, string requestedBy, CancellationToken cancellationToken) =>
        (await client.InvalidatePartitionsAsync(new InvalidatePartitionsRequest
        {
            Partitions = { selectors },
            Reason = reason,
            RequestedBy = requestedBy,
        }, cancellationToken)).Invalidated;

    /// <summary>
    /// Submits the build, then follows its events in the service's log and reports them as a local build reports its
    /// own. Ctrl-C asks the service to cancel the build and waits for it to end as cancelled, as a local build does.
    /// </summary>
    public async Task<BuildResult> BuildAsync(BuildCall request, IProgress<BuildProgress> progress, CancellationToken cancellationToken)
    {
        if (request.Parallelism is not null) throw new UsageException("--parallelism does not go with --server: the service runs builds with its own (databuild serve --parallelism)");
        if (request.KillGrace is not null) throw new UsageException("--kill-grace-seconds does not go with --server: the service stops job runs with its own kill grace");
        if (request.Executor is not null) throw new UsageException("--executor does not go with --server: the service runs each job on the executor its graph names");
        var submitted = await client.SubmitBuildAsync(new SubmitBuildRequest
        {
            Partitions = { request.Refs },
            Force = request.Force,
            RebuildStale = request.RebuildStale,
            BuildRequestId = request.BuildRequestId ?? "",
        }, CancellationToken.None);
        var follower = new BuildFollower(submitted.BuildRequestId, progress);
        var filter = new EventFilter { BuildRequestIds = { submitted.BuildRequestId } };
        var cancelled = false;
        // Only this request's events, from the start: none is written before it is submitted.
        var since = 0L;
        while (follower.Result is null)
        {
            if (cancellationToken.IsCancellationRequested && !cancelled)
            {
                cancelled = true;
                await client.CancelBuildAsync(submitted.BuildRequestId, CancellationToken.None);
            }
            EventPage page;
            try
            {
                page = await client.ListEventsAsync(Request(since, filter, PageSize, cancelled ? 1 : PollSeconds), cancelled ? CancellationToken.None : cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                continue;
            }
            foreach (var stored in page.Events) follower.Add(stored);
            since = Math.Max(since, page.NextSinceIndex);
        }
        return follower.Result;
    }
}
