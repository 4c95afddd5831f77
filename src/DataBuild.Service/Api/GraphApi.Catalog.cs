using DataBuild.Engine;
using DataBuild.Proto;
using DataBuild.Reports;
using Task = System.Threading.Tasks.Task;
using DataBuild.Refs;
using DataBuild.Events;
using Grpc.Core;

namespace DataBuild.Service.Api;

internal sealed partial class GraphApi
{
    public override Task<ListPartitionsResponse> ListPartitions(ListPartitionsRequest request, ServerCallContext context)
    {
        var patterns = ApiErrors.Patterns(context, "pattern", request.Pattern).Select(PartitionPattern.Parse).ToArray();
        var statuses = request.Status.ToHashSet();
        var size = ApiErrors.PageSize(context, "pageSize", request.PageSize, 100, 1000);
        var after = Paging.Key(context, "pageToken", request.PageToken);
        return Task.FromResult(graph.Read(views =>
        {
            var refs = graph.SortedRefs(views);
            var response = new ListPartitionsResponse();
            var presence = graph.Engine.NewPresenceCheck(views.Catalog);
            var from = 0;
            if (after is not null)
            {
                // The first ref after the token's: a binary search, as the list is sorted.
                var (low, high) = (0, refs.Count);
                while (low < high)
                {
                    var mid = (low + high) / 2;
                    if (string.CompareOrdinal(refs[mid], after) <= 0) low = mid + 1;
                    else high = mid;
                }
                from = low;
            }
            for (var i = from; i < refs.Count; i++)
            {
                if (response.Partitions.Count == size)
                {
                    response.NextPageToken = Paging.Token(refs[i - 1]);
                    break;
                }
                if (patterns.Length > 0 && !patterns.Any(p => p.IsMatch(refs[i]))) continue;
                var state = views.Catalog.Get(refs[i], graph.Engine.JobIdentities)!;
                // Filtered by the status shown, which presence may have made MISSING or STALE.
                var detail = DetailMessages.Partition(state, graph.Engine.Lookup, views, presence);
                if (statuses.Count > 0 && !statuses.Contains(detail.Status)) continue;
                response.Partitions.Add(detail);
            }
            return response;
        }));
    }

    public override Task<InvalidatePartitionsResponse> InvalidatePartitions(InvalidatePartitionsRequest request, ServerCallContext context)
    {
        if (request.Partitions.Count == 0) throw ApiErrors.Invalid(context, "partitions", "name at least one partition ref or glob");
        if (request.Partitions.Count > MaxRefsPerRequest)
            throw ApiErrors.Invalid(context, "partitions", $"at most {MaxRefsPerRequest} refs or globs per request, got {request.Partitions.Count}");
        Text(context, "reason", request.Reason);
        Text(context, "requestedBy", request.RequestedBy);
        var requestedBy = request.RequestedBy.Length > 0 ? request.RequestedBy : $"api {context.Peer}";
        return Task.FromResult(graph.Read(views =>
        {
            var response = new InvalidatePartitionsResponse();
            try
            {
                response.Invalidated.AddRange(Invalidation.Record(graph.Log, views.Catalog, request.Partitions, request.Reason, requestedBy));
            }
            catch (ArgumentException e)
            {
                throw ApiErrors.Invalid(context, "partitions", e.Message);
            }
            return response;
        }));
    }

    public override Task<PartitionDetail> GetPartition(GetPartitionRequest request, ServerCallContext context)
    {
        var partitionRef = request.PartitionRef;
        if (PartitionRefs.Problem(partitionRef) is { } problem) throw ApiErrors.Invalid(context, "partitionRef", $"invalid partition ref: {problem}");
        return Task.FromResult(graph.Read(views =>
        {
            if (views.Catalog.Get(partitionRef, graph.Engine.JobIdentities) is not { } state)
                return DetailMessages.Unknown(partitionRef, graph.Engine.Lookup);
            return DetailMessages.WithLineage(state, graph.Engine.Lookup, views, graph.Engine.NewPresenceCheck(views.Catalog));
        }));
    }

    public override Task<ListRunsResponse> ListRuns(ListRunsRequest request, ServerCallContext context)
    {
        var jobs = ApiErrors.Values(context, "job", request.Job).ToHashSet(StringComparer.Ordinal);
        var requests = ApiErrors.Values(context, "request", request.Request).ToHashSet(StringComparer.Ordinal);
        var statuses = request.Status.ToHashSet();
        var size = ApiErrors.PageSize(context, "pageSize", request.PageSize, 100, 1000);
        var before = Paging.Position(context, "pageToken", request.PageToken);
        return Task.FromResult(graph.Read(views =>
        {
            var all = views.Runs.All;
            var response = new ListRunsResponse();
            for (var i = Math.Min(before ?? all.Count, all.Count) - 1; i >= 0; i--)
            {
                if (response.Runs.Count == size)
                {
                    response.NextPageToken = Paging.Token(i + 1);
                    break;
                }
                var run = all[i];
                if ((jobs.Count > 0 && !jobs.Contains(run.JobLabel)) || (requests.Count > 0 && !requests.Contains(run.BuildRequestId))
                    || (statuses.Count > 0 && !statuses.Contains(run.Status))) continue;
                response.Runs.Add(DetailMessages.Run(run, graph.Workspace));
            }
            return response;
        }));
    }

    public override Task<JobRunDetail> GetRun(GetRunRequest request, ServerCallContext context)
    {
        var id = ApiErrors.Id(context, "jobRunId", request.JobRunId);
        return Task.FromResult(graph.Read(views => views.Runs.Get(id) is { } run ? DetailMessages.Run(run, graph.Workspace) : throw ApiErrors.NotFound($"no job run {id}")));
    }

    public override Task<RunLogChunk> ReadRunLog(ReadRunLogRequest request, ServerCallContext context)
    {
        var id = ApiErrors.Id(context, "jobRunId", request.JobRunId);
        if (request.Offset < 0) throw ApiErrors.Invalid(context, "offset", $"must be 0 or more, got {request.Offset}");
        var limit = ApiErrors.PageSize(context, "limit", request.Limit, RunLogs.MaxChunk, RunLogs.MaxChunk);
        var ended = graph.Read(views => views.Runs.Get(id) is { } run ? StateMachines.IsTerminal(run.Status) : throw ApiErrors.NotFound($"no job run {id}"));
        var read = RunLogs.Read(graph.Workspace, Guid.Parse(id), request.Offset, limit)
            ?? (ended ? throw ApiErrors.NotFound($"job run {id} has no log in this graph's log folder or its event log") : ("", request.Offset, request.Offset));
        var (text, next, length) = read;
        return Task.FromResult(new RunLogChunk { Data = text, Offset = request.Offset, NextOffset = next, Complete = ended && next >= length });
    }
}
