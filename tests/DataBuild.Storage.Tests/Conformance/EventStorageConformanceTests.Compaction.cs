using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;
using Google.Protobuf;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Storage.Tests;

// Compaction (docs/event-log.md#compaction): events older than a usable snapshot leave the live log, after being
// archived or discarded. Every view answers as before, reads from the retained range page as before, and reads from
// below it are refused with the index they can start from, never answered with a gap.
public abstract partial class EventStorageConformanceTests
{
    [Theory]
    [InlineData("archive.jsonl")]
    [InlineData("archive.jsonl.gz")]
    [InlineData(null)]
    public void Compaction_keeps_every_views_answers_and_the_since_index_contract(string? archiveName)
    {
        if (!SupportsCompaction)
        {
            AssertCompactionIsRefusedAsUnsupported();
            return;
        }
        var archive = archiveName is null ? null : Folder.Combine(archiveName);
        using var writer = new SimulatedWriter(Open(), new Random(5), "w");
        for (var i = 0; i < 60; i++) writer.Step();
        var covered = ViewSnapshots.Write(writer.Log, writer.Views)!.Value;
        var snapshotIndex = covered;
        for (var i = 0; i < 10; i++) writer.Step();
        var before = EveryEvent();
        var expected = Fold(snapshots: false, out _);

        var result = LogCompaction.Run(writer.Log, writer.Views, covered, archive);

        // At the snapshot, unless a build request still live started before it: its events stay.
        Assert.InRange(result.FirstRetainedIndex, 2, covered);
        Assert.Equal(result.FirstRetainedIndex < covered, result.KeptForRequest is not null);
        if (result.KeptForRequest is { } live) Assert.Equal(before.First(e => e.Event.BuildRequestId == live).Index, result.FirstRetainedIndex);
        Assert.Equal(result.FirstRetainedIndex - 1, result.Dropped);
        covered = result.FirstRetainedIndex;
        Assert.Equal(expected, Fold(snapshots: true, out var used));
        Assert.True(used);
        using var storage = Open();
        Assert.Equal(new CompactionMark(covered, archive), storage.Compaction!.ReadMark());
        // The retained range pages exactly as before; a page from just below it is whole too.
        Assert.Equal(before.Where(e => e.Index >= covered), ListAll(storage, covered - 1, new EventFilter(), 7));
        var partition = new EventFilter { PartitionRefs = { "data/p=1" } };
        Assert.Equal(before.Where(e => e.Index >= covered && EventKeys.Of(e.Event).PartitionRefs.Contains("data/p=1")), ListAll(storage, covered - 1, partition, 3));
        foreach (var filter in new[] { new EventFilter(), partition })
        {
            var refused = Assert.Throws<EventsCompactedException>(() => storage.List(covered - 2, filter, 10));
            Assert.Equal(covered - 1, refused.LowestSinceIndex);
            Assert.Contains($"compacted up to event {covered - 1}", refused.Message);
            Assert.Throws<EventsCompactedException>(() => storage.List(0, filter, 10));
        }
        if (archive is not null) Assert.Equal(before.Where(e => e.Index < covered), ReadArchive(archive));

        // Writing goes on after the retained events, and a second compaction is refused past the snapshot.
        for (var i = 0; i < 10; i++) writer.Step();
        var after = EveryEvent();
        Assert.Equal(Enumerable.Range((int)covered, after.Count).Select(i => (long)i), after.Select(e => e.Index));
        Assert.Contains("never drops past it", Assert.Throws<CompactionRefusedException>(() => LogCompaction.Run(writer.Log, writer.Views, snapshotIndex + 5, null)).Message);
    }

    [Fact]
    public void Compaction_keeps_the_events_of_a_build_request_still_live_so_it_can_be_recovered()
    {
        if (!SupportsCompaction)
        {
            AssertCompactionIsRefusedAsUnsupported();
            return;
        }
        using var crashed = new SimulatedWriter(Open(), new Random(12), "crashed");
        using var other = new SimulatedWriter(Open(), new Random(13), "other");
        for (var i = 0; i < 4; i++) crashed.Step();
        var abandoned = crashed.Request!;
        crashed.Crash();
        for (var i = 0; i < 40; i++) other.Step();
        var firstOfAbandoned = EveryEvent().First(e => e.Event.BuildRequestId == abandoned).Index;
        var covered = ViewSnapshots.Write(other.Log, other.Views)!.Value;

        var result = LogCompaction.Run(other.Log, other.Views, covered, null);

        Assert.Equal(firstOfAbandoned, result.FirstRetainedIndex);
        Assert.Equal(abandoned, result.KeptForRequest);
        using var recovering = new SimulatedWriter(Open(), new Random(14), "recovering");
        recovering.Recover(abandoned);
        recovering.Views.Refresh(recovering.Log);
        Assert.True(recovering.Views.Requests.Get(abandoned)!.IsFinished);
    }

    [Fact]
    public void Compaction_without_a_usable_snapshot_is_refused_and_drops_nothing()
    {
        if (!SupportsCompaction)
        {
            AssertCompactionIsRefusedAsUnsupported();
            return;
        }
        using var writer = new SimulatedWriter(Open(), new Random(6), "w");
        for (var i = 0; i < 30; i++) writer.Step();
        var before = EveryEvent();

        var refused = Assert.Throws<CompactionRefusedException>(() => LogCompaction.Run(writer.Log, writer.Views, 10, null));

        Assert.Contains("no usable view snapshot", refused.Message);
        Assert.Equal(before, EveryEvent());
        using var storage = Open();
        Assert.Null(storage.Compaction!.ReadMark());
    }

    [Fact]
    public void A_compacted_log_whose_snapshot_is_gone_is_a_clear_error_naming_the_archive()
    {
        if (!SupportsCompaction)
        {
            AssertCompactionIsRefusedAsUnsupported();
            return;
        }
        var archive = Folder.Combine("old.jsonl.gz");
        using (var writer = new SimulatedWriter(Open(), new Random(8), "w"))
        {
            for (var i = 0; i < 40; i++) writer.Step();
            LogCompaction.Run(writer.Log, writer.Views, ViewSnapshots.Write(writer.Log, writer.Views)!.Value, archive);
        }
        using (var storage = Open()) storage.Snapshots!.DeleteSnapshot();

        using var log = new BuildEventLog(Open());
        var problem = Assert.Throws<InvalidDataException>(() => new BuildEventViews().Refresh(log));

        Assert.Contains("was compacted up to event", problem.Message);
        Assert.Contains(archive, problem.Message);
    }

    [Fact]
    public async Task Compaction_while_another_writer_appends_loses_no_event()
    {
        if (!SupportsCompaction)
        {
            AssertCompactionIsRefusedAsUnsupported();
            return;
        }
        // No build request is left live, so nothing holds compaction back.
        using (var seed = Open()) seed.Append(Enumerable.Range(0, 50).Select(i => Invalid($"p-{i}")).ToList());
        var appended = new ConcurrentQueue<(long Index, string Id)>();
        using var other = Open();
        // The writer starts once the first compaction dropped the seed, and writes its second half once a second one
        // ran, so that compactions run while it appends whatever the machine's speed.
        using var firstCompacted = new ManualResetEventSlim();
        using var secondCompacted = new ManualResetEventSlim();
        var appending = Task.Run(() =>
        {
            firstCompacted.Wait();
            for (var batch = 0; batch < 150; batch++)
            {
                if (batch == 75) secondCompacted.Wait();
                var events = new[] { Invalid($"c-{batch}-a"), Invalid($"c-{batch}-b") };
                var indexes = other.Append(events);
                for (var i = 0; i < events.Length; i++) appended.Enqueue((indexes[i], events[i].EventId));
            }
        });
        using var log = new BuildEventLog(Open());
        var views = new BuildEventViews();
        var archives = new List<string>();
        while (!appending.IsCompleted)
        {
            var covered = ViewSnapshots.Write(log, views) ?? log.Snapshot!.CoveredIndex;
            var archive = Folder.Combine($"archive-{archives.Count}.jsonl");
            if (LogCompaction.Run(log, views, covered, archive).Dropped > 0) archives.Add(archive);
            firstCompacted.Set();
            if (archives.Count >= 2) secondCompacted.Set();
        }
        await appending;
        Assert.True(archives.Count >= 2, "fewer than two compactions ran");

        using var storage = Open();
        var first = storage.Compaction!.ReadMark()!.FirstRetainedIndex;
        var all = archives.SelectMany(ReadArchive).Concat(ListAll(storage, first - 1, new EventFilter(), 100)).ToList();
        Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Index));
        var byIndex = all.ToDictionary(e => e.Index, e => e.Event.EventId);
        Assert.Equal(300, appended.Count);
        Assert.All(appended, a => Assert.Equal(a.Id, byIndex[a.Index]));
        Assert.Equal(all.Count, all.Select(e => e.Event.EventId).Distinct().Count());
    }

    private bool SupportsCompaction
    {
        get
        {
            using var storage = Open();
            return storage.Compaction is not null;
        }
    }

    // A backend without the capability (IEventStorage.Compaction null) says so, and keeps every event.
    private void AssertCompactionIsRefusedAsUnsupported()
    {
        using var writer = new SimulatedWriter(Open(), new Random(4), "w");
        for (var i = 0; i < 20; i++) writer.Step();
        var covered = ViewSnapshots.Write(writer.Log, writer.Views)!.Value;
        var refused = Assert.Throws<CompactionRefusedException>(() => LogCompaction.Run(writer.Log, writer.Views, covered, null));
        Assert.Contains("does not support compaction", refused.Message);
        Assert.Equal(covered, writer.Log.ReadAll().Count(e => e.Index <= covered));
    }

    private List<StoredEvent> EveryEvent()
    {
        using var storage = Open();
        var first = storage.Compaction?.ReadMark()?.FirstRetainedIndex ?? 1;
        return ListAll(storage, first - 1, new EventFilter(), 1000);
    }

    private static List<StoredEvent> ListAll(IEventStorage storage, long since, EventFilter filter, int pageSize)
    {
        var events = new List<StoredEvent>();
        while (true)
        {
            var page = storage.List(since, filter, pageSize);
            events.AddRange(page.Events);
            since = page.NextSinceIndex;
            if (!page.HasMore) return events;
        }
    }

    private static IEnumerable<StoredEvent> ReadArchive(string path)
    {
        using var file = File.OpenRead(path);
        using var input = path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
        using var reader = new StreamReader(input);
        var events = new List<StoredEvent>();
        while (reader.ReadLine() is { } line)
        {
            using var record = JsonDocument.Parse(line);
            events.Add(new StoredEvent
            {
                Index = record.RootElement.GetProperty("index").GetInt64(),
                Event = JsonParser.Default.Parse<BuildEvent>(record.RootElement.GetProperty("event").GetRawText()),
            });
        }
        return events;
    }
}
