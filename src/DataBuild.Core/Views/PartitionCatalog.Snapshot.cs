using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Views;

// The catalog's part of a ViewSnapshot (docs/event-log.md#snapshots): every entry as the fold left it.
public sealed partial class PartitionCatalog
{
    /// <summary>The job runs a partition names (the one it was last built by, is being built by, or its status names): a snapshot keeps them at hand.</summary>
    internal HashSet<string> NamedRuns()
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in _entries.Values)
        {
            named.Add(entry.JobRunId);
            named.Add(entry.BuildingJobRunId);
            if (entry.LastBuilt is { } built) named.Add(built.JobRunId);
        }
        return named;
    }

    internal CatalogSnapshot ToSnapshot(SnapshotStrings strings)
    {
        var snapshot = new CatalogSnapshot();
        foreach (var entry in _entries.Values)
        {
            var item = new CatalogEntrySnapshot
            {
                Ref = strings.Id(entry.Ref),
                Status = entry.Status,
                BuildRequestId = strings.Id(entry.BuildRequestId),
                JobRunId = strings.Id(entry.JobRunId),
                LastIndex = entry.LastIndex,
                Message = entry.Message,
                BuildingRequestId = strings.Id(entry.BuildingRequestId),
                BuildingJobRunId = strings.Id(entry.BuildingJobRunId),
                LastFailedRequestId = strings.Id(entry.LastFailedRequestId),
            };
            if (entry.LastBuilt is { } built)
                item.LastBuilt = new BuiltBySnapshot
                {
                    Index = built.Index, Timestamp = built.Timestamp,
                    BuildRequestId = strings.Id(built.BuildRequestId), JobRunId = strings.Id(built.JobRunId),
                };
            if (entry.Failures is { } failures) item.Failures = new FailedBuildsSnapshot { Count = failures.Count, LastFailedAt = failures.LastFailedAt };
            item.InvalidatedAt = entry.InvalidatedAt;
            item.InvalidationReason = entry.InvalidationReason;
            snapshot.Entries.Add(item);
        }
        return snapshot;
    }

    internal void Restore(CatalogSnapshot snapshot, SnapshotStrings strings)
    {
        _entries.Clear();
        _judged.Clear();
        _last = null;
        _entries.EnsureCapacity(snapshot.Entries.Count);
        foreach (var item in snapshot.Entries)
        {
            var entry = new Entry(strings[item.Ref])
            {
                Status = item.Status,
                BuildRequestId = strings[item.BuildRequestId],
                JobRunId = strings[item.JobRunId],
                LastIndex = item.LastIndex,
                Message = item.Message,
                BuildingRequestId = strings[item.BuildingRequestId],
                BuildingJobRunId = strings[item.BuildingJobRunId],
                LastFailedRequestId = strings[item.LastFailedRequestId],
                LastBuilt = item.LastBuilt is { } built
                    ? new BuiltBy(built.Index, built.Timestamp, strings[built.BuildRequestId], strings[built.JobRunId])
                    : null,
                Failures = item.Failures is { } failures ? new FailedBuilds(failures.Count, failures.LastFailedAt) : null,
                InvalidatedAt = item.InvalidatedAt,
                InvalidationReason = item.InvalidationReason,
            };
            if (!_entries.TryAdd(entry.Ref, entry)) throw new InvalidDataException($"partition {entry.Ref} is in the catalog twice");
        }
    }
}
