using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

// The build requests' part of a ViewSnapshot (docs/event-log.md#snapshots): every summary, in the order received.
public sealed partial class BuildRequestsView
{
    internal BuildRequestsSnapshot ToSnapshot(SnapshotStrings strings)
    {
        var snapshot = new BuildRequestsSnapshot();
        foreach (var request in _ordered)
        {
            var item = new BuildRequestSnapshot
            {
                BuildRequestId = strings.Id(request.BuildRequestId),
                Status = request.Status,
                Message = request.Message,
                Owner = request.Owner,
                LeaseExpiresAt = request.LeaseExpiresAt,
                ReceivedAt = request.ReceivedAt,
                FinishedAt = request.FinishedAt,
                JobsCompleted = request.JobsCompleted,
                JobsFailed = request.JobsFailed,
                JobsCancelled = request.JobsCancelled,
                JobsMissingDeps = request.JobsMissingDeps,
                PartitionsDelegated = request.PartitionsDelegated,
                BackfillId = request.BackfillId,
                RequestedBy = request.RequestedBy,
            };
            strings.AddAll(item.RequestedPartitions, request.RequestedPartitions);
            snapshot.Requests.Add(item);
        }
        return snapshot;
    }

    internal void Restore(BuildRequestsSnapshot snapshot, SnapshotStrings strings)
    {
        _requests.Clear();
        _ordered.Clear();
        _last = null;
        foreach (var item in snapshot.Requests)
        {
            var request = new BuildRequestSummary(strings[item.BuildRequestId])
            {
                Status = item.Status,
                RequestedPartitions = strings.All(item.RequestedPartitions),
                Message = item.Message,
                Owner = item.Owner,
                LeaseExpiresAt = item.LeaseExpiresAt,
                ReceivedAt = item.ReceivedAt,
                FinishedAt = item.FinishedAt,
                JobsCompleted = item.JobsCompleted,
                JobsFailed = item.JobsFailed,
                JobsCancelled = item.JobsCancelled,
                JobsMissingDeps = item.JobsMissingDeps,
                PartitionsDelegated = item.PartitionsDelegated,
                BackfillId = item.BackfillId,
                RequestedBy = item.RequestedBy,
            };
            if (!_requests.TryAdd(request.BuildRequestId, request)) throw new InvalidDataException($"build request {request.BuildRequestId} is in the snapshot twice");
            _ordered.Add(request);
        }
    }
}
