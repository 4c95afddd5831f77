using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;
using Google.Protobuf;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Storage.Tests;

// Snapshots (docs/event-log.md#snapshots): a cache of the views and the validator beside the log. Whatever
// snapshots there are, and whoever wrote them when, a reader that starts from one holds exactly what a reader
// that folds the whole log holds.
public abstract partial class EventStorageConformanceTests
{
    // The events compactions archived, oldest first.
    private readonly List<StoredEvent> _archived = [];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Snapshot_and_tail_equal_a_full_fold_after_random_builds_crashes_concurrent_writers_and_compactions(int seed)
    {
        var random = new Random(seed);
        var writers = Enumerable.Range(0, 3).Select(i => new SimulatedWriter(Open(), new Random(seed * 10 + i), $"w{i}")).ToArray();
        var abandoned = new List<string>();
        var fromSnapshots = 0;
        var compactions = 0;
        try
        {
            for (var step = 1; step <= 240; step++)
            {
                var writer = writers[random.Next(writers.Length)];
                switch (random.Next(20))
                {
                    case 0 when writer.Request is { } request:
                        writer.Crash();
                        abandoned.Add(request);
                        break;
                    case 1 when abandoned.Count > 0:
                        writer.Recover(abandoned[0]);
                        abandoned.RemoveAt(0);
                        break;
                    case 2 or 3:
                        // As `databuild snapshot` (which reads the history first) and as the end of a build (which does not).
                        ViewSnapshots.Write(writer.Log, writer.Views, checkHistory: step % 2 == 0);
                        break;
                    case 4 when random.Next(4) == 0 && _archived.Count == 0:
                        using (var storage = Open()) storage.Snapshots!.DeleteSnapshot();
                        break;
                    case 6 when random.Next(2) == 0 && writer.Log.Snapshot is { } snapshot:
                        // Compaction drops what the stored snapshot holds; the full fold below reads the archives too.
                        var archive = Folder.Combine($"archive-{step}.jsonl");
                        try
                        {
                            if (LogCompaction.Run(writer.Log, writer.Views, snapshot.CoveredIndex, archive).Dropped > 0)
                            {
                                _archived.AddRange(ReadArchive(archive));
                                compactions++;
                            }
                        }
                        catch (CompactionRefusedException)
                        {
                            // The stored snapshot is not this writer's (deleted, or another's covering less): nothing dropped.
                        }
                        break;
                    case 5 when random.Next(3) == 0:
                        // Written past the access layer, as by hand: every reader skips it, and so must a snapshot.
                        using (var storage = Open()) storage.Append([Invalid($"bad-{seed}-{step}")]);
                        break;
                    default:
                        writer.Step();
                        break;
                }
                if (step % 40 != 0) continue;
                if (AssertSnapshotAndTailEqualFullFold(writers)) fromSnapshots++;
            }
            // Real concurrency: each writer in a thread of its own, building and writing snapshots at once.
            await Task.WhenAll(writers.Select(writer => Task.Run(() =>
            {
                for (var i = 0; i < 30; i++)
                {
                    writer.Step();
                    if (i % 7 == 0) ViewSnapshots.Write(writer.Log, writer.Views);
                }
            })));
            if (AssertSnapshotAndTailEqualFullFold(writers)) fromSnapshots++;
        }
        finally
        {
            foreach (var writer in writers) writer.Dispose();
        }
        Assert.True(fromSnapshots > 0, "no check started from a snapshot: the test proves nothing");
        if (SupportsCompaction) Assert.True(compactions > 0, "no step compacted the log: the test proves nothing about compaction");
    }

    [Fact]
    public void Deleting_the_snapshot_changes_no_answer()
    {
        using var writer = new SimulatedWriter(Open(), new Random(7), "w");
        for (var i = 0; i < 60; i++) writer.Step();
        Assert.NotNull(ViewSnapshots.Write(writer.Log, writer.Views));
        for (var i = 0; i < 10; i++) writer.Step();
        var withSnapshot = Fold(snapshots: true, out var used);
        Assert.True(used);

        using (var storage = Open()) storage.Snapshots!.DeleteSnapshot();

        Assert.Equal(withSnapshot, Fold(snapshots: true, out used));
        Assert.False(used);
    }

    [Fact]
    public void A_snapshot_is_replaced_only_by_one_covering_further()
    {
        using var storage = Open();
        var store = storage.Snapshots!;

        Assert.True(store.WriteSnapshot(new StoredSnapshot(10, 1, [1])));
        Assert.False(store.WriteSnapshot(new StoredSnapshot(5, 1, [2])));
        Assert.False(store.WriteSnapshot(new StoredSnapshot(10, 1, [3])));
        Assert.Equal([1], store.ReadSnapshot()!.Payload);
        Assert.True(store.WriteSnapshot(new StoredSnapshot(11, 2, [4])));
        using var other = Open();
        Assert.Equal(new StoredSnapshot(11, 2, [4]).Payload, other.Snapshots!.ReadSnapshot()!.Payload);
        Assert.Equal(2, other.Snapshots.ReadSnapshot()!.ViewSchemaVersion);
    }

    [Theory]
    [InlineData("foreign")]
    [InlineData("corrupt")]
    [InlineData("other log")]
    public void An_unusable_snapshot_is_ignored_with_a_warning_and_the_log_folded(string kind)
    {
        using (var writer = new SimulatedWriter(Open(), new Random(3), "w"))
        {
            for (var i = 0; i < 40; i++) writer.Step();
            ViewSnapshots.Write(writer.Log, writer.Views);
        }
        var expected = Fold(snapshots: false, out _);
        using (var storage = Open())
        {
            var good = storage.Snapshots!.ReadSnapshot()!;
            var snapshot = ViewSnapshot.Parser.ParseFrom(good.Payload);
            storage.Snapshots.DeleteSnapshot();
            var bad = kind switch
            {
                "foreign" => new StoredSnapshot(good.CoveredIndex, ViewSchema.CurrentVersion + 1, good.Payload),
                "corrupt" => new StoredSnapshot(good.CoveredIndex, good.ViewSchemaVersion, good.Payload[..(good.Payload.Length / 2)]),
                _ => new StoredSnapshot(good.CoveredIndex, good.ViewSchemaVersion, Changed(snapshot, s => s.CoveredEventId = "another-log")),
            };
            Assert.True(storage.Snapshots.WriteSnapshot(bad));
        }

        using var reader = new BuildEventLog(Open());
        var warnings = new List<string>();
        reader.Warning += warnings.Add;
        var views = new BuildEventViews();
        views.Refresh(reader);

        Assert.Null(reader.Snapshot);
        Assert.Equal(expected, SnapshotText.Of(ViewSnapshots.Capture(reader, views)!, views.Runs));
        var warning = Assert.Single(warnings);
        Assert.Contains("ignoring the view snapshot", warning);
        Assert.Contains(kind switch { "foreign" => "view-schema version", "corrupt" => "damaged", _ => "does not match this log" }, warning);
    }

    private static byte[] Changed(ViewSnapshot snapshot, Action<ViewSnapshot> change)
    {
        var copy = snapshot.Clone();
        change(copy);
        return copy.ToByteArray();
    }

    // True when the fresh reader started from a snapshot.
    private bool AssertSnapshotAndTailEqualFullFold(SimulatedWriter[] writers)
    {
        var full = Fold(snapshots: false, out _);
        var fromSnapshot = Fold(snapshots: true, out var used);
        Assert.Equal(full, fromSnapshot);
        // A long-lived reader that applied only new events each time (a service, a reconciler) agrees too.
        foreach (var writer in writers)
        {
            writer.Views.Refresh(writer.Log);
            if (ViewSnapshots.Capture(writer.Log, writer.Views) is { } kept && kept.CoveredIndex == LastIndex())
                Assert.Equal(full, SnapshotText.Of(kept, writer.Views.Runs));
        }
        return used;
    }

    private IReadOnlyList<string> Fold(bool snapshots, out bool usedSnapshot)
    {
        var storage = Open();
        using var log = new BuildEventLog(snapshots ? storage : new WithoutSnapshots(storage, _archived));
        var views = new BuildEventViews();
        views.Refresh(log);
        usedSnapshot = log.Snapshot is not null;
        return SnapshotText.Of(ViewSnapshots.Capture(log, views) ?? throw new InvalidOperationException("the log moved while it was read"), views.Runs);
    }

    private long LastIndex()
    {
        using var storage = Open();
        return storage.List(storage.Compaction?.ReadMark() is { } mark ? mark.FirstRetainedIndex - 1 : 0, new EventFilter(), int.MaxValue).NextSinceIndex;
    }

    private static BuildEvent Invalid(string id) => new()
    {
        EventId = id,
        Timestamp = 1_700_000_000_000_000_000,
        SchemaVersion = EventSchema.CurrentVersion,
        BuildRequestId = "never-received",
        PartitionEvent = new PartitionEvent { PartitionRef = NewEvent.Ref("data/p=1"), Status = PartitionStatus.PartitionAvailable },
    };

    /// <summary>
    /// The same log, read without its snapshot, and with the events compactions archived before its live ones: the
    /// full fold every snapshot must agree with.
    /// </summary>
    private sealed class WithoutSnapshots(IEventStorage inner, IReadOnlyList<StoredEvent> archived) : IEventStorage
    {
        public string Description => inner.Description;

        public IReadOnlyList<long> Append(IReadOnlyList<BuildEvent> events, AppendGuard? guard = null) => inner.Append(events, guard);

        public EventPage List(long sinceIndex, EventFilter filter, int limit)
        {
            var old = archived.Where(e => e.Index > sinceIndex).Take(limit).ToList();
            if (old.Count == 0) return inner.List(sinceIndex, filter, limit);
            Assert.Equal(new EventFilter(), filter);
            return EventPaging.Create(old, old.Count, sinceIndex, 0);
        }

        public Task WaitForEventsAsync(long sinceIndex, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            inner.WaitForEventsAsync(sinceIndex, timeout, cancellationToken);

        public void Dispose() => inner.Dispose();
    }
}
