using DataBuild.Events;
using DataBuild.Views;

namespace DataBuild.Storage.Tests;

// `databuild snapshot --delete` and a compaction in progress exclude each other (docs/event-log.md#compaction): the
// store deletes the snapshot only under the lock a compaction's drop takes, and the drop checks, under that lock,
// that the snapshot it was started for is still there. Whichever comes second sees what the first did.
public abstract partial class EventStorageConformanceTests
{
    [Fact]
    public void A_snapshot_deleted_while_a_compaction_is_in_progress_stops_the_compaction()
    {
        if (!SupportsCompaction)
        {
            AssertCompactionIsRefusedAsUnsupported();
            return;
        }
        using var writer = new SimulatedWriter(Open(), new Random(11), "w");
        for (var i = 0; i < 40; i++) writer.Step();
        var covered = ViewSnapshots.Write(writer.Log, writer.Views)!.Value;
        var before = EveryEvent();

        // LogCompaction.Run has checked the snapshot and is writing its archive when the snapshot is deleted.
        using (var deleter = Open()) Assert.Null(deleter.Snapshots!.DeleteSnapshotUnlessCompacted());
        using var storage = Open();
        var refused = Assert.Throws<InvalidOperationException>(() => storage.Compaction!.DropBefore(covered, 1, null));

        Assert.Contains("view snapshot was deleted", refused.Message);
        Assert.Null(storage.Compaction!.ReadMark());
        Assert.Equal(before, EveryEvent());
        Assert.Equal(Fold(snapshots: false, out _), Fold(snapshots: true, out var used));
        Assert.False(used);
    }

    [Fact]
    public void Deleting_the_snapshot_of_a_compacted_log_is_refused_by_the_store()
    {
        if (!SupportsCompaction)
        {
            AssertCompactionIsRefusedAsUnsupported();
            return;
        }
        IReadOnlyList<string> expected;
        using (var writer = new SimulatedWriter(Open(), new Random(12), "w"))
        {
            for (var i = 0; i < 40; i++) writer.Step();
            expected = Fold(snapshots: false, out _);
            LogCompaction.Run(writer.Log, writer.Views, ViewSnapshots.Write(writer.Log, writer.Views)!.Value, null);
        }
        using var storage = Open();
        var stored = storage.Snapshots!.ReadSnapshot();

        var mark = storage.Snapshots.DeleteSnapshotUnlessCompacted();

        Assert.Equal(storage.Compaction!.ReadMark(), mark);
        Assert.NotNull(mark);
        Assert.Equal(stored!.Payload, storage.Snapshots.ReadSnapshot()!.Payload);
        Assert.Equal(expected, Fold(snapshots: true, out var used));
        Assert.True(used);
    }

    [Fact]
    public async Task Compactions_and_snapshot_deletions_at_once_never_leave_a_compacted_log_without_its_snapshot()
    {
        if (!SupportsCompaction)
        {
            AssertCompactionIsRefusedAsUnsupported();
            return;
        }
        using (var seed = Open()) seed.Append(Enumerable.Range(0, 40).Select(i => Invalid($"p-{i}")).ToList());
        using var log = new BuildEventLog(Open());
        var views = new BuildEventViews();
        using var deleter = Open();
        using var stop = new CancellationTokenSource();
        // Deletes until it is refused: the log was compacted, and its snapshot must then be there.
        var deleting = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
                if (deleter.Snapshots!.DeleteSnapshotUnlessCompacted() is not null) return;
        });
        for (var i = 0; i < 300 && !deleting.IsCompleted; i++)
        {
            log.Storage.Append([Invalid($"c-{i}")]);
            if (ViewSnapshots.Write(log, views) is not { } covered) continue;
            try
            {
                LogCompaction.Run(log, views, covered, null);
            }
            catch (CompactionRefusedException)
            {
                // The snapshot was deleted before the drop: nothing was dropped.
            }
        }
        await stop.CancelAsync();
        await deleting.WaitAsync(TimeSpan.FromMinutes(2));

        using var storage = Open();
        if (storage.Compaction!.ReadMark() is { } mark)
        {
            Assert.NotNull(storage.Snapshots!.ReadSnapshot());
            using var reader = new BuildEventLog(Open());
            Assert.True(reader.Snapshot!.CoveredIndex >= mark.FirstRetainedIndex);
        }
    }
}
