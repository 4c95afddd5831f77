using System.Text.Json;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Storage.Delta;

namespace DataBuild.Storage.Tests;

public sealed partial class DeltaEventStorageTests : EventStorageConformanceTests
{
    protected override string Uri => $"delta:{TablePath}";

    private string TablePath => Folder.Combine("bel");

    private string LogFolder => Path.Combine(TablePath, "_delta_log");

    private DeltaEventStorage OpenDelta(bool serializeWriters = true) => new(TablePath, serializeWriters: serializeWriters);

    [Fact]
    public void The_first_commit_creates_an_append_only_table_whose_add_and_commit_info_give_the_batch_index_range()
    {
        using (var storage = Open())
        {
            storage.Append(TestEvents.Many(3, "a"));
            storage.Append(TestEvents.Many(2, "b"));
        }

        var first = CommitActions(0);
        var protocol = first.Single(a => a.TryGetProperty("protocol", out _)).GetProperty("protocol");
        Assert.Equal(1, protocol.GetProperty("minReaderVersion").GetInt32());
        Assert.Equal(2, protocol.GetProperty("minWriterVersion").GetInt32());
        var metadata = first.Single(a => a.TryGetProperty("metaData", out _)).GetProperty("metaData");
        Assert.Equal("true", metadata.GetProperty("configuration").GetProperty("delta.appendOnly").GetString());
        using var schema = JsonDocument.Parse(metadata.GetProperty("schemaString").GetString()!);
        Assert.Equal(["index", "event_id", "timestamp", "build_request_id", "event_type", "job_label", "job_run_id", "want_id", "partition_refs", "payload"],
            schema.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString()));

        var second = CommitActions(1);
        Assert.DoesNotContain(second, a => a.TryGetProperty("metaData", out _) || a.TryGetProperty("protocol", out _));
        var add = second.Single(a => a.TryGetProperty("add", out _)).GetProperty("add");
        Assert.True(add.GetProperty("dataChange").GetBoolean());
        Assert.True(File.Exists(Path.Combine(TablePath, add.GetProperty("path").GetString()!)));
        using var stats = JsonDocument.Parse(add.GetProperty("stats").GetString()!);
        Assert.Equal(2, stats.RootElement.GetProperty("numRecords").GetInt64());
        Assert.Equal(4, stats.RootElement.GetProperty("minValues").GetProperty("index").GetInt64());
        Assert.Equal(5, stats.RootElement.GetProperty("maxValues").GetProperty("index").GetInt64());
        var range = second.Single(a => a.TryGetProperty("commitInfo", out _)).GetProperty("commitInfo").GetProperty("databuild");
        Assert.Equal((4L, 5L), (range.GetProperty("firstIndex").GetInt64(), range.GetProperty("lastIndex").GetInt64()));
        Assert.Empty(Directory.EnumerateFiles(LogFolder, "*.tmp"));
    }

    [Fact]
    public void Instances_racing_for_versions_without_the_lock_file_renumber_and_lose_or_repeat_nothing()
    {
        const int writers = 4, batches = 15, batchSize = 3;
        var instances = Enumerable.Range(0, writers).Select(_ => OpenDelta(serializeWriters: false)).ToList();
        try
        {
            Parallel.For(0, writers, new ParallelOptions { MaxDegreeOfParallelism = writers }, w =>
            {
                for (var batch = 0; batch < batches; batch++)
                {
                    var events = Enumerable.Range(0, batchSize).Select(n => TestEvents.Partition($"w{w}/{batch}/{n}", $"data/w{w}")).ToList();
                    // Every writer also re-appends an id all of them share: it is stored once, with one index for all.
                    events.Add(TestEvents.Partition($"shared/{batch}", "data/shared"));
                    var indexes = instances[w].Append(events);
                    Assert.Equal(Enumerable.Range(0, batchSize).Select(i => indexes[0] + i), indexes.Take(batchSize));
                }
            });

            using var reader = Open();
            var all = ReadAll(reader);
            Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Index));
            Assert.Equal(writers * batches * batchSize + batches, all.Count);
            Assert.Equal(all.Count, all.Select(e => e.Event.EventId).Distinct().Count());
            for (var w = 0; w < writers; w++) AssertWholeBatchesInOrder(all, $"w{w}", batchSize, expectedBatches: batches);
            foreach (var instance in instances)
                Assert.Equal(all.Where(e => e.Event.EventId.StartsWith("shared/", StringComparison.Ordinal)).Select(e => e.Index),
                    instance.Append(Enumerable.Range(0, batches).Select(b => TestEvents.Partition($"shared/{b}", "data/again")).ToList()));
        }
        finally
        {
            foreach (var instance in instances) instance.Dispose();
        }
    }

    [Fact]
    public void Eight_writer_processes_and_two_following_processes_lose_and_duplicate_nothing()
    {
        const int writers = 8, batches = 10, batchSize = 25, total = writers * batches * batchSize;
        var go = Folder.Combine("go");
        var followers = new[] { StressProcess.Follow(Uri, 0, total), StressProcess.Follow(Uri, 0, total) };
        var processes = Enumerable.Range(0, writers).Select(w => StressProcess.Append(Uri, $"w{w}", batches, batchSize, go)).ToList();
        try
        {
            foreach (var follower in followers) Assert.True(follower.WaitForLine("ready"), "a follower did not start");
            foreach (var process in processes) Assert.True(process.WaitForLine("ready"), "a writer did not start");
            File.WriteAllText(go, "");
            foreach (var process in processes) process.WaitForSuccess(TimeSpan.FromMinutes(3));

            using var storage = Open();
            var all = ReadAll(storage);
            Assert.Equal(Enumerable.Range(1, total).Select(i => (long)i), all.Select(e => e.Index));
            for (var w = 0; w < writers; w++) AssertWholeBatchesInOrder(all, $"w{w}", batchSize, expectedBatches: batches);
            foreach (var follower in followers)
                Assert.Equal(all.Select(e => (e.Index, e.Event.EventId)), follower.ReadEvents(total, TimeSpan.FromMinutes(2)));
        }
        finally
        {
            foreach (var process in processes.Concat(followers)) process.Dispose();
        }
    }

    [Fact]
    public void Every_hundredth_version_writes_a_checkpoint_that_a_reader_starts_from()
    {
        using (var storage = Open())
            for (var batch = 0; batch <= DeltaEventStorage.CheckpointInterval; batch++) storage.Append([TestEvents.Partition($"e{batch}", $"data/{batch}")]);

        using (var lastCheckpoint = JsonDocument.Parse(File.ReadAllText(Path.Combine(LogFolder, "_last_checkpoint"))))
            Assert.Equal(100, lastCheckpoint.RootElement.GetProperty("version").GetInt64());
        Assert.True(File.Exists(Path.Combine(LogFolder, "00000000000000000100.checkpoint.parquet")));
        // A reader that starts from the checkpoint needs none of the commits before it.
        for (var version = 0; version < 100; version++) File.Delete(Path.Combine(LogFolder, $"{version:D20}.json"));

        using var reopened = Open();
        Assert.Equal(Enumerable.Range(0, 101).Select(i => $"e{i}"), ReadAll(reopened).Select(e => e.Event.EventId));
        Assert.Equal([37L, 102], reopened.Append([TestEvents.Partition("e36", "data/again"), TestEvents.Partition("new", "data/new")]));
    }

    [Fact]
    public void Compaction_rewrites_small_files_into_few_without_changing_an_event_or_an_index()
    {
        using var storage = OpenDelta();
        for (var batch = 0; batch < 12; batch++) storage.Append(TestEvents.Many(5, $"b{batch}-"));
        var before = ReadAll(storage);

        var compaction = storage.Compact(maxEventsPerFile: 25);

        Assert.Equal(new DeltaCompaction(12, 3, 12), compaction);
        var actions = CommitActions(12);
        Assert.Equal(12, actions.Count(a => a.TryGetProperty("remove", out var r) && !r.GetProperty("dataChange").GetBoolean()));
        Assert.Equal(3, actions.Count(a => a.TryGetProperty("add", out var r) && !r.GetProperty("dataChange").GetBoolean()));
        using var reopened = Open();
        Assert.Equal(before.Select(e => (e.Index, e.Event)), ReadAll(reopened).Select(e => (e.Index, e.Event)));
        Assert.Equal(before.Skip(22).Take(3).Select(e => e.Index), reopened.List(22, new EventFilter(), 3).Events.Select(e => e.Index));
        Assert.Equal(new DeltaCompaction(0, 0, -1), storage.Compact(maxEventsPerFile: 25));
        Assert.Equal([7L, 61], reopened.Append([TestEvents.Partition("b1-1", "data/again"), TestEvents.Partition("after", "data/after")]));
    }

    [Fact]
    public void Cleanup_deletes_old_leftovers_of_crashed_writers_and_files_compaction_removed_but_nothing_in_the_table()
    {
        using var storage = OpenDelta();
        for (var batch = 0; batch < 3; batch++) storage.Append(TestEvents.Many(2, $"b{batch}-"));
        var old = DateTime.UtcNow.AddHours(-2);
        var staging = Path.Combine(LogFolder, "_commit_0123.json.tmp");
        var orphan = Path.Combine(TablePath, "part-00000-orphan-c000.snappy.parquet");
        var youngOrphan = Path.Combine(TablePath, "part-00000-young-c000.snappy.parquet");
        File.WriteAllText(staging, "{\"add\":");
        File.WriteAllText(orphan, "PAR1 torn");
        File.WriteAllText(youngOrphan, "PAR1 being written");
        foreach (var file in Directory.EnumerateFiles(TablePath, "*.parquet").Where(f => f != youngOrphan).Append(staging)) File.SetLastWriteTimeUtc(file, old);

        Assert.Equal(new DeltaCleanup(1, 1), storage.CleanUp());
        Assert.False(File.Exists(orphan));
        Assert.True(File.Exists(youngOrphan));
        Assert.Equal(6, ReadAll(storage).Count);

        storage.Compact();
        Assert.Equal(new DeltaCleanup(0, 0), storage.CleanUp());
        // With no age limit, the files compaction removed go, and so does the orphan still being written.
        Assert.Equal(new DeltaCleanup(0, 4), storage.CleanUp(TimeSpan.FromSeconds(-1)));
        Assert.False(File.Exists(youngOrphan));
        using var reopened = Open();
        Assert.Equal(6, ReadAll(reopened).Count);
    }

    [Fact]
    public void A_delta_table_that_is_not_an_event_log_is_refused_naming_it()
    {
        var table = DeltaReference.Table("simple_table");

        var error = Assert.Throws<InvalidDataException>(() => new DeltaEventStorage(table));

        Assert.Contains(table, error.Message);
        Assert.Contains("not a DataBuild event log", error.Message);
    }

    private List<JsonElement> CommitActions(long version) =>
        File.ReadAllLines(Path.Combine(LogFolder, $"{version:D20}.json")).Select(line => JsonDocument.Parse(line).RootElement.Clone()).ToList();
}
