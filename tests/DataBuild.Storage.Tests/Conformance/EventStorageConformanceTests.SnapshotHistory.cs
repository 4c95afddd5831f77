using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;
using Google.Protobuf;

namespace DataBuild.Storage.Tests;

// The history of job runs (docs/event-log.md#snapshots): a snapshot keeps at hand only the runs a build reads (of
// requests in progress, and those a partition names); the others are in history chunks beside it, read when every run
// is listed. A reader that never lists them never reads them; one that does sees what a full fold sees.
public abstract partial class EventStorageConformanceTests
{
    [Fact]
    public void A_snapshot_keeps_only_the_runs_partitions_name_and_lists_the_rest_from_its_history()
    {
        using (var writer = new SimulatedWriter(Open(), new Random(21), "w"))
        {
            for (var round = 0; round < 4; round++)
            {
                for (var i = 0; i < 40; i++) writer.Step();
                Assert.NotNull(ViewSnapshots.Write(writer.Log, writer.Views, checkHistory: false));
            }
        }
        var full = Fold(snapshots: false, out _);

        using var reader = new BuildEventLog(Open());
        var snapshot = reader.Snapshot!;
        var views = new BuildEventViews();
        views.Refresh(reader);
        var named = views.Catalog.Refs.Select(r => views.Catalog.Get(r)!).SelectMany(p => new[] { p.JobRunId, p.LastBuilt?.JobRunId ?? "" }).ToHashSet();
        var kept = snapshot.JobRuns.Runs.Select(r => snapshot.Strings[r.JobRunId]).ToArray();

        Assert.NotEmpty(snapshot.JobRuns.HistoryChunks);
        Assert.All(kept, id =>
        {
            var run = views.Runs.Loaded.First(r => r.JobRunId == id);
            Assert.True(named.Contains(id) || !StateMachines.IsTerminal(run.Status) || views.Requests.Get(run.BuildRequestId)?.IsFinished != true,
                $"run {id} is kept at hand, though it ended, its request finished and no partition names it");
        });
        Assert.Equal(kept.Length, views.Runs.Loaded.Count);
        Assert.Equal(full, SnapshotText.Of(ViewSnapshots.Capture(reader, views)!, views.Runs));
        Assert.True(views.Runs.All.Count > kept.Length, "the history held no run: the test proves nothing");
    }

    [Fact]
    public void A_missing_history_chunk_is_read_from_the_log_with_a_warning_and_stops_a_compaction()
    {
        using (var writer = new SimulatedWriter(Open(), new Random(22), "w"))
        {
            for (var i = 0; i < 80; i++) writer.Step();
            Assert.NotNull(ViewSnapshots.Write(writer.Log, writer.Views));
        }
        var full = Fold(snapshots: false, out _);
        using (var storage = Open())
        {
            var good = storage.Snapshots!.ReadSnapshot()!;
            var snapshot = ViewSnapshot.Parser.ParseFrom(good.Payload);
            Assert.NotEmpty(snapshot.JobRuns.HistoryChunks);
            snapshot.JobRuns.HistoryChunks.Insert(0, "1-lost");
            storage.Snapshots.DeleteSnapshot();
            Assert.True(storage.Snapshots.WriteSnapshot(new StoredSnapshot(good.CoveredIndex, good.ViewSchemaVersion, snapshot.ToByteArray())));
        }

        using var reader = new BuildEventLog(Open());
        var warnings = new List<string>();
        reader.Warning += warnings.Add;
        var views = new BuildEventViews();
        views.Refresh(reader);
        Assert.NotNull(reader.Snapshot);
        Assert.Empty(warnings);

        Assert.Equal(full, SnapshotText.Of(ViewSnapshots.Capture(reader, views)!, views.Runs));
        Assert.Contains("history chunk 1-lost is missing", Assert.Single(warnings));
        var listed = views.Runs.All.Select(r => r.JobRunId).ToHashSet();
        if (!SupportsCompaction) return;
        var refused = Assert.Throws<CompactionRefusedException>(() => LogCompaction.Run(reader, views, reader.Snapshot!.CoveredIndex, null));
        Assert.Contains("lists job-run history that cannot be read", refused.Message);

        // `databuild snapshot`, once the log has moved on, starts a whole history again, and then the log compacts.
        using (var more = new SimulatedWriter(Open(), new Random(23), "m"))
            for (var i = 0; i < 5; i++) more.Step();
        var covered = ViewSnapshots.Write(reader, views)!.Value;
        using var next = new BuildEventLog(Open());
        Assert.DoesNotContain("1-lost", next.Snapshot!.JobRuns.HistoryChunks);
        Assert.True(LogCompaction.Run(next, new BuildEventViews(), covered, null).Dropped > 0);
        using var compacted = new BuildEventLog(Open());
        var after = new BuildEventViews();
        after.Refresh(compacted);
        Assert.Superset(listed, after.Runs.All.Select(r => r.JobRunId).ToHashSet());
    }
}
