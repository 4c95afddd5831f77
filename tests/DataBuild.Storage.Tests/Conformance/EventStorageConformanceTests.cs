using System.Collections.Concurrent;
using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Proto;
using DataBuild.Refs;
using Google.Protobuf;

namespace DataBuild.Storage.Tests;

/// <summary>
/// What every BEL backend must do (docs/event-log.md, <see cref="IEventStorage"/>). Each backend runs these
/// tests through one small derived class that names a fresh, empty storage.
/// </summary>
public abstract partial class EventStorageConformanceTests : IDisposable
{
    private readonly ConcurrentQueue<string> _warnings = new();

    protected TempFolder Folder { get; } = new();

    /// <summary>The URI of an empty storage of the backend under test, for <see cref="EventStorage.Open"/> and the stress processes.</summary>
    protected abstract string Uri { get; }

    /// <summary>The warnings every storage opened by <see cref="Open"/> reported.</summary>
    protected IReadOnlyCollection<string> Warnings => _warnings;

    protected IEventStorage Open() => EventStorage.Open(Uri, onWarning: _warnings.Enqueue);

    public void Dispose()
    {
        Folder.Dispose();
        GC.SuppressFinalize(this);
    }

    [Fact]
    public void Appended_events_get_dense_increasing_indexes_from_one_in_append_order()
    {
        using var storage = Open();

        Assert.Equal([1L, 2, 3], storage.Append(TestEvents.Many(3, "a")));
        Assert.Equal([4L, 5], storage.Append(TestEvents.Many(2, "b")));

        var all = ReadAll(storage);
        Assert.Equal([1L, 2, 3, 4, 5], all.Select(e => e.Index));
        Assert.Equal(["a0", "a1", "a2", "b0", "b1"], all.Select(e => e.Event.EventId));
    }

    [Fact]
    public void An_empty_batch_writes_nothing()
    {
        using var storage = Open();

        Assert.Empty(storage.Append([]));

        Assert.Empty(ReadAll(storage));
        Assert.Equal([1L], storage.Append(TestEvents.Many(1)));
    }

    [Fact]
    public void Reappending_a_stored_event_id_returns_its_index_and_writes_nothing()
    {
        using var storage = Open();
        storage.Append(TestEvents.Many(2, "a"));

        var indexes = storage.Append([TestEvents.Partition("x", "data/x"), TestEvents.Partition("a1", "data/changed"), TestEvents.Partition("y", "data/y"), TestEvents.Partition("a0", "data/changed")]);

        Assert.Equal([3L, 2, 4, 1], indexes);
        var all = ReadAll(storage);
        Assert.Equal(["a0", "a1", "x", "y"], all.Select(e => e.Event.EventId));
        Assert.Equal("data/n=1", all[1].Event.PartitionEvent.PartitionRef.Str);
    }

    [Fact]
    public void Reappending_ids_below_and_above_the_greatest_stored_id_finds_each_stored_one()
    {
        using var storage = Open();
        var uuids = Enumerable.Range(0, 5).Select(i => $"0190f3a0-0000-7000-8000-00000000000{i}").ToArray();
        storage.Append([TestEvents.Partition(uuids[1], "data/1"), TestEvents.Partition(uuids[3], "data/3")]);

        // uuids[4] sorts after every stored id; uuids[0] and uuids[2] are new but sort before the greatest.
        var indexes = storage.Append([
            TestEvents.Partition(uuids[4], "data/4"), TestEvents.Partition(uuids[1], "data/changed"), TestEvents.Partition(uuids[2], "data/2"),
            TestEvents.Partition(uuids[3], "data/changed"), TestEvents.Partition(uuids[4], "data/changed"), TestEvents.Partition(uuids[0], "data/0")]);

        Assert.Equal([3L, 1, 4, 2, 3, 5], indexes);
        Assert.Equal([5L, 1, 4, 2, 3], storage.Append(new[] { 0, 1, 2, 3, 4 }.Select(i => TestEvents.Partition(uuids[i], "data/changed")).ToList()));
        var all = ReadAll(storage);
        Assert.Equal([uuids[1], uuids[3], uuids[4], uuids[2], uuids[0]], all.Select(e => e.Event.EventId));
        Assert.DoesNotContain(all, e => e.Event.PartitionEvent.PartitionRef.Str == "data/changed");
    }

    [Fact]
    public void Reappending_non_ascii_ids_finds_each_stored_one()
    {
        using var storage = Open();
        // U+FF21 sorts after the surrogate pair of U+1F600 in UTF-16 code units but before it in UTF-8
        // bytes, the order SQLite keeps; "é" sorts after ASCII in both.
        string[] ids = ["\U0001F600", "\uFF21", "é", "e", "\uFF21\U0001F600", "\U0001F600\uFF21"];
        Assert.Equal([1L, 2, 3, 4, 5, 6], storage.Append(ids.Select(id => TestEvents.Partition(id, "data/x")).ToList()));

        foreach (var (id, index) in ids.Select((id, i) => (id, i + 1L)))
            Assert.Equal([index], storage.Append([TestEvents.Partition(id, "data/changed")]));
        Assert.Equal([6L, 7, 2, 7], storage.Append([
            TestEvents.Partition(ids[5], "data/changed"), TestEvents.Partition("\uFF22", "data/new"), TestEvents.Partition(ids[1], "data/changed"),
            TestEvents.Partition("\uFF22", "data/changed")]));

        var all = ReadAll(storage);
        Assert.Equal([.. ids, "\uFF22"], all.Select(e => e.Event.EventId));
        Assert.DoesNotContain(all, e => e.Event.PartitionEvent.PartitionRef.Str == "data/changed");
    }

    [Fact]
    public void An_event_id_repeated_within_one_batch_is_stored_once()
    {
        using var storage = Open();

        var indexes = storage.Append([TestEvents.Partition("a", "data/a"), TestEvents.Partition("b", "data/b"), TestEvents.Partition("a", "data/a")]);

        Assert.Equal([1L, 2, 1], indexes);
        Assert.Equal(["a", "b"], ReadAll(storage).Select(e => e.Event.EventId));
    }

    [Fact]
    public void A_batch_with_an_event_without_id_is_refused_whole()
    {
        using var storage = Open();

        var error = Assert.Throws<ArgumentException>(() => storage.Append([TestEvents.Partition("a", "data/a"), TestEvents.Partition("", "data/b")]));

        Assert.Contains("event 1", error.Message);
        Assert.Empty(ReadAll(storage));
    }

    [Fact]
    public void Stored_events_come_back_byte_identical()
    {
        using var storage = Open();
        var original = RichEvents();

        storage.Append(original);

        var stored = ReadAll(storage).Select(e => e.Event).ToList();
        Assert.Equal(original, stored);
        Assert.Equal(original.Select(e => e.ToByteArray()), stored.Select(e => e.ToByteArray()));
    }

    [Fact]
    public void A_reopened_storage_sees_earlier_events_and_continues_their_indexes()
    {
        using (var first = Open()) first.Append(TestEvents.Many(3, "a"));

        using var reopened = Open();

        Assert.Equal(["a0", "a1", "a2"], ReadAll(reopened).Select(e => e.Event.EventId));
        Assert.Equal([2L, 4], reopened.Append([TestEvents.Partition("a1", "data/n=1"), TestEvents.Partition("b", "data/b")]));
    }

    [Fact]
    public void Two_instances_on_one_log_share_indexes_and_event_ids()
    {
        using var one = Open();
        using var other = Open();

        Assert.Equal([1L], one.Append([TestEvents.Partition("a", "data/a")]));
        Assert.Equal([2L], other.Append([TestEvents.Partition("b", "data/b")]));
        Assert.Equal([3L, 2], one.Append([TestEvents.Partition("c", "data/c"), TestEvents.Partition("b", "data/b")]));

        Assert.Equal(["a", "b", "c"], ReadAll(other).Select(e => e.Event.EventId));
    }

    [Fact]
    public void Threads_appending_at_once_get_dense_indexes_with_each_batch_contiguous()
    {
        const int threads = 4, batches = 10, batchSize = 5;
        using var storage = Open();

        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, thread =>
        {
            for (var batch = 0; batch < batches; batch++)
            {
                var indexes = storage.Append(TestEvents.Many(batchSize, $"t{thread}/{batch}/"));
                Assert.Equal(Enumerable.Range(0, batchSize).Select(i => indexes[0] + i), indexes);
            }
        });

        var all = ReadAll(storage);
        Assert.Equal(Enumerable.Range(1, threads * batches * batchSize).Select(i => (long)i), all.Select(e => e.Index));
        Assert.Equal(all.Count, all.Select(e => e.Event.EventId).Distinct().Count());
    }

    [Fact]
    public void The_guard_sees_only_new_events_and_reads_the_log_as_committed_before_them()
    {
        using var storage = Open();
        storage.Append(TestEvents.Many(2, "a"));
        IReadOnlyList<string>? seenNew = null;
        IReadOnlyList<long>? logIndexes = null;
        EventPage? secondPage = null;

        var indexes = storage.Append([TestEvents.Partition("a1", "data/n=1"), TestEvents.Partition("b0", "data/b0"), TestEvents.Partition("b1", "data/b1")], (newEvents, readSince) =>
        {
            seenNew = newEvents.Select(e => e.EventId).ToList();
            logIndexes = readSince(0, 100).Events.Select(e => e.Index).ToList();
            secondPage = readSince(1, 1);
        });

        Assert.Equal([2L, 3, 4], indexes);
        Assert.Equal(["b0", "b1"], seenNew);
        Assert.Equal([1L, 2], logIndexes);
        Assert.Equal(["a1"], secondPage!.Events.Select(e => e.Event.EventId));
    }

    [Fact]
    public void A_guard_that_throws_writes_nothing_and_leaves_no_gap()
    {
        using var storage = Open();
        storage.Append(TestEvents.Many(1, "a"));

        var error = Assert.Throws<InvalidOperationException>(() =>
            storage.Append(TestEvents.Many(2, "b"), (_, _) => throw new InvalidOperationException("refused by the guard")));

        Assert.Equal("refused by the guard", error.Message);
        Assert.Equal(["a0"], ReadAll(storage).Select(e => e.Event.EventId));
        Assert.Equal([2L, 3], storage.Append(TestEvents.Many(2, "b")));
    }

    [Fact]
    public void The_guard_is_not_asked_about_a_batch_that_is_all_repeats()
    {
        using var storage = Open();
        storage.Append(TestEvents.Many(2, "a"));

        var indexes = storage.Append(TestEvents.Many(2, "a"), (_, _) => throw new InvalidOperationException("nothing new to validate"));

        Assert.Equal([1L, 2], indexes);
    }

    [Fact]
    public void Processes_creating_and_appending_at_once_lose_and_duplicate_nothing_while_a_follower_reads()
    {
        const int writers = 4, batches = 30, batchSize = 20;
        var go = Folder.Combine("go");
        var processes = Enumerable.Range(0, writers).Select(w => StressProcess.Append(Uri, $"w{w}", batches, batchSize, go)).ToList();
        try
        {
            foreach (var process in processes) Assert.True(process.WaitForLine("ready"), "a writer did not start");
            File.WriteAllText(go, "");
            using var storage = Open();
            var follower = new Follower(storage, new EventFilter(), limit: 17);
            var filtered = new Follower(storage, new EventFilter { BuildRequestIds = { "w1" } }, limit: 4);
            while (true)
            {
                // Decided before the last reads, so those reads see everything every writer committed.
                var finished = processes.All(p => p.HasExited);
                follower.ReadAvailable();
                filtered.ReadAvailable();
                if (finished) break;
                Thread.Sleep(5);
            }
            foreach (var process in processes) process.WaitForSuccess(TimeSpan.FromSeconds(60));

            var all = follower.Seen;
            Assert.Equal(Enumerable.Range(1, writers * batches * batchSize).Select(i => (long)i), all.Select(e => e.Index));
            Assert.Equal(all.Count, all.Select(e => e.Event.EventId).Distinct().Count());
            for (var w = 0; w < writers; w++) AssertWholeBatchesInOrder(all, $"w{w}", batchSize, expectedBatches: batches);
            Assert.Equal(all.Where(e => e.Event.BuildRequestId == "w1").Select(e => e.Index), filtered.Seen.Select(e => e.Index));
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }
    }

    [Fact]
    public void A_writer_killed_mid_append_leaves_whole_batches_and_the_log_goes_on()
    {
        const int batchSize = 200;
        // Kill at a different moment of the next append each round: building it, writing it, committing it.
        int[] killDelaysMs = [0, 3, 8];
        for (var round = 0; round < killDelaysMs.Length; round++)
        {
            var writer = $"victim{round}";
            using (var process = StressProcess.Loop(Uri, writer, batchSize))
            {
                Assert.True(process.WaitForLine("committed 2"), "the writer stopped before it was killed");
                Thread.Sleep(killDelaysMs[round]);
                process.Kill();
            }

            using var storage = Open();
            var all = ReadAll(storage);
            Assert.Equal(Enumerable.Range(1, all.Count).Select(i => (long)i), all.Select(e => e.Index));
            var survivors = all.Count(e => e.Event.EventId.StartsWith(writer + "/", StringComparison.Ordinal));
            Assert.True(survivors >= 3 * batchSize, $"batches reported committed are missing: {survivors} events");
            AssertWholeBatchesInOrder(all, writer, batchSize, expectedBatches: null);

            var appended = storage.Append(TestEvents.Many(2, $"after{round}-"));
            Assert.Equal([all.Count + 1L, all.Count + 2L], appended);
        }
    }

    /// <summary>Events of <paramref name="writer"/> (ids "writer/batch/n") come in whole batches, each at consecutive indexes, batches in order.</summary>
    internal static void AssertWholeBatchesInOrder(IReadOnlyList<StoredEvent> all, string writer, int batchSize, int? expectedBatches)
    {
        var mine = all.Where(e => e.Event.EventId.StartsWith(writer + "/", StringComparison.Ordinal)).ToList();
        Assert.True(mine.Count % batchSize == 0, $"{writer}: {mine.Count} events is not a whole number of batches of {batchSize}");
        var batches = mine.Chunk(batchSize).ToList();
        if (expectedBatches is not null) Assert.Equal(expectedBatches, batches.Count);
        for (var b = 0; b < batches.Count; b++)
        {
            Assert.Equal(Enumerable.Range(0, batchSize).Select(n => $"{writer}/{b}/{n}"), batches[b].Select(e => e.Event.EventId));
            Assert.Equal(Enumerable.Range(0, batchSize).Select(n => batches[b][0].Index + n), batches[b].Select(e => e.Index));
        }
    }

    internal static List<StoredEvent> ReadAll(IEventStorage storage, EventFilter? filter = null, int limit = 1000)
    {
        var follower = new Follower(storage, filter ?? new EventFilter(), limit);
        follower.ReadAvailable();
        return follower.Seen;
    }


    /// <summary>Reads a log the way a follower polls it: from its cursor, page after page.</summary>
    internal sealed class Follower(IEventStorage storage, EventFilter filter, int limit)
    {
        private long _since;

        public List<StoredEvent> Seen { get; } = [];

        public void ReadAvailable()
        {
            while (true)
            {
                var page = storage.List(_since, filter, limit);
                Assert.True(page.Events.Count <= limit);
                Assert.True(page.NextSinceIndex >= _since, "the cursor went backwards");
                Assert.All(page.Events, e => Assert.True(e.Index > _since && e.Index <= page.NextSinceIndex));
                Seen.AddRange(page.Events);
                _since = page.NextSinceIndex;
                if (!page.HasMore) return;
            }
        }
    }

    /// <summary>Events with every kind of field set, including maps, nested messages and non-ASCII text.</summary>
    private static List<BuildEvent> RichEvents()
    {
        var job = TestEvents.Job("rich-job", "extract_reviews", "run-7", "br-7", "reviews/date=2020-01-01", "reviews/date=2020-01-02");
        job.Timestamp = 1_712_345_678_901_234_567;
        job.JobEvent.Message = "naïve café ✓ \"quoted\" \\ back\nslash";
        job.JobEvent.Config = new JobConfig
        {
            Outputs = { TestEvents.Ref("reviews/date=2020-01-01") },
            Inputs = { new DataDep { DepType = DepType.Materialize, PartitionRef = TestEvents.Ref("raw/date=2020-01-01") } },
            Args = { "--date", "2020-01-01" },
            Env = { ["B_VAR"] = "2", ["A_VAR"] = "1" },
        };
        job.JobEvent.Manifests.Add(new PartitionManifest
        {
            Outputs = { TestEvents.Ref("reviews/date=2020-01-01") },
            Inputs = { new PartitionManifest { Outputs = { TestEvents.Ref("raw/date=2020-01-01") }, StartTime = 1, EndTime = 2 } },
            StartTime = 1_700_000_000,
            EndTime = 1_700_000_042,
        });
        job.JobEvent.ExitCode = -3;
        job.JobEvent.DurationMs = long.MaxValue;
        job.JobEvent.LogPath = "/var/log/databuild/run-7.log";
        job.JobEvent.Attempt = 2;
        job.JobEvent.MissingDeps.Add(new MissingDeps { Impacted = { TestEvents.Ref("a/b") }, Missing = { TestEvents.Ref("c/d") } });
        job.JobEvent.Owner = new RunOwner { Host = "build-host", Pid = int.MaxValue, ProcessStartUnixMs = 1_700_000_000_123 };
        job.JobEvent.JobVersion = "v2";

        var graph = TestEvents.Heartbeat("rich-graph", "br-7");
        graph.JobGraphEvent = new JobGraphEvent
        {
            Message = "analysed",
            JobGraph = new JobGraph
            {
                Label = new GraphLabel { Label = "podcast_reviews" },
                Outputs = { TestEvents.Ref("summaries/date=2020-01-01") },
                Nodes = { new DataBuild.Proto.Task { Job = new JobLabel { Label = "summarize" }, Config = new JobConfig { Args = { "x" } } } },
            },
        };

        var want = TestEvents.Want("rich-want", "want-7", "want-6", "want-1", "reviews/date=2020-01-05");
        want.WantEvent.TtlSeconds = 86_400;
        want.WantEvent.SlaSeconds = 3_600;
        want.WantEvent.RequestedBy = "ops@example.com";
        want.WantEvent.Reason = "dashboard";

        var unknownStatus = TestEvents.Partition("rich-unknown-enum", "data/x");
        unknownStatus.PartitionEvent.Status = (PartitionStatus)42;
        unknownStatus.SchemaVersion = 0;

        return [job, graph, want, unknownStatus, TestEvents.Heartbeat("rich-heartbeat", "")];
    }
}
