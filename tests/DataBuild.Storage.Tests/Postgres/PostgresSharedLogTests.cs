using System.Collections.Concurrent;
using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Storage.Tests;

/// <summary>One PostgreSQL log shared by writer and follower processes: concurrency, followers that stop and resume, a server restart.</summary>
[Collection(PostgresServerCollection.Name)]
public sealed class PostgresSharedLogTests : IClassFixture<PostgresDatabase>, IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly TempFolder _folder = new();
    private readonly string _uri;

    public PostgresSharedLogTests(PostgresDatabase database) => _uri = $"postgres:{database.NewSchema()}";

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Eight_processes_append_while_two_follow_and_each_follower_sees_its_events_once_in_order()
    {
        const int writers = 8, batches = 15, batchSize = 20;
        var go = _folder.Combine("go");
        using var everything = StressProcess.Follow(_uri, 0, writers * batches * batchSize);
        using var oneWriter = StressProcess.Follow(_uri, 0, batches * batchSize, "stress/writer=w3/**");
        Assert.True(everything.WaitForLine("ready"), "a follower did not start");
        Assert.True(oneWriter.WaitForLine("ready"), "a follower did not start");
        var processes = Enumerable.Range(0, writers).Select(w => StressProcess.Append(_uri, $"w{w}", batches, batchSize, go)).ToList();
        try
        {
            foreach (var process in processes) Assert.True(process.WaitForLine("ready"), "a writer did not start");
            File.WriteAllText(go, "");
            var seenByFirst = everything.ReadEvents(writers * batches * batchSize, Patience);
            var seenBySecond = oneWriter.ReadEvents(batches * batchSize, Patience);
            foreach (var process in processes.Append(everything).Append(oneWriter)) process.WaitForSuccess(Patience);

            using var storage = EventStorage.Open(_uri);
            var log = EventStorageConformanceTests.ReadAll(storage);
            Assert.Equal(Enumerable.Range(1, writers * batches * batchSize).Select(i => (long)i), log.Select(e => e.Index));
            for (var w = 0; w < writers; w++) EventStorageConformanceTests.AssertWholeBatchesInOrder(log, $"w{w}", batchSize, expectedBatches: batches);
            Assert.Equal(log.Select(e => (e.Index, e.Event.EventId)), seenByFirst);
            Assert.Equal(log.Where(e => e.Event.BuildRequestId == "w3").Select(e => (e.Index, e.Event.EventId)), seenBySecond);
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }
    }

    [Fact]
    public void A_follower_that_stops_resumes_from_its_cursor_without_missing_or_repeating_an_event()
    {
        using var storage = EventStorage.Open(_uri);
        for (var batch = 0; batch < 10; batch++) storage.Append(TestEvents.Many(10, $"before{batch}/"));
        List<(long Index, string EventId)> seen;
        using (var first = StressProcess.Follow(_uri, 0, 1000))
        {
            Assert.True(first.WaitForLine("ready"), "the follower did not start");
            seen = first.ReadEvents(35, Patience);
            first.Kill();
        }

        using var resumed = StressProcess.Follow(_uri, seen[^1].Index, 200 - seen.Count);
        Assert.True(resumed.WaitForLine("ready"), "the follower did not start again");
        for (var batch = 0; batch < 10; batch++) storage.Append(TestEvents.Many(10, $"after{batch}/"));
        seen.AddRange(resumed.ReadEvents(200 - seen.Count, Patience));
        resumed.WaitForSuccess(Patience);

        Assert.Equal(EventStorageConformanceTests.ReadAll(storage).Select(e => (e.Index, e.Event.EventId)), seen);
    }

    [Fact]
    public async Task Writers_and_a_follower_ride_out_a_server_restart_losing_and_duplicating_nothing()
    {
        const int writers = 4, batchSize = 10;
        using var followed = EventStorage.Open(_uri);
        using var stopFollowing = new CancellationTokenSource();
        var seen = new ConcurrentQueue<StoredEvent>();
        var following = Task.Run(async () =>
        {
            await foreach (var stored in followed.FollowAsync(0, new EventFilter(), stopFollowing.Token)) seen.Enqueue(stored);
        });
        var processes = Enumerable.Range(0, writers).Select(w => StressProcess.Loop(_uri, $"r{w}", batchSize)).ToList();
        List<StoredEvent> log;
        var committedAfterRestart = new int[writers];
        try
        {
            foreach (var process in processes) Assert.True(process.WaitForLine("committed 2"), "a writer stopped before the restart");

            PostgresServerScript.Restart();

            // Batches a writer reports past what the log held just after the restart were committed through a new connection.
            using (var afterRestart = EventStorage.Open(_uri))
            {
                var logAfterRestart = EventStorageConformanceTests.ReadAll(afterRestart);
                for (var w = 0; w < writers; w++)
                {
                    var batchesSoFar = logAfterRestart.Count(e => e.Event.BuildRequestId == $"r{w}") / batchSize;
                    committedAfterRestart[w] = batchesSoFar + 2;
                    Assert.True(processes[w].WaitForLine($"committed {committedAfterRestart[w]}"), $"writer r{w} did not go on after the restart");
                }
            }
        }
        finally
        {
            foreach (var process in processes) process.Dispose();
        }

        using (var storage = EventStorage.Open(_uri)) log = EventStorageConformanceTests.ReadAll(storage);
        Assert.Equal(Enumerable.Range(1, log.Count).Select(i => (long)i), log.Select(e => e.Index));
        for (var w = 0; w < writers; w++)
        {
            EventStorageConformanceTests.AssertWholeBatchesInOrder(log, $"r{w}", batchSize, expectedBatches: null);
            Assert.True(log.Count(e => e.Event.BuildRequestId == $"r{w}") >= (committedAfterRestart[w] + 1) * batchSize, $"batches r{w} reported committed are missing");
        }

        var deadline = DateTime.UtcNow + Patience;
        while (seen.Count < log.Count && DateTime.UtcNow < deadline) await Task.Delay(50);
        await stopFollowing.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
        Assert.Equal(log.Select(e => (e.Index, e.Event.EventId)), seen.Select(e => (e.Index, e.Event.EventId)));
    }
}
