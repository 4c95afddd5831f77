using System.Diagnostics;
using DataBuild.Proto;

namespace DataBuild.Service.Tests;

public sealed class EventsTests : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task A_long_poll_answers_as_soon_as_a_matching_event_is_committed()
    {
        using var service = ServiceProcess.Start(_graph);
        var watch = Stopwatch.StartNew();
        var poll = service.GetJson("/api/v1/events?since=0&pattern=a/**&wait=50");
        await Task.Delay(500);
        Assert.False(poll.IsCompleted, "the poll answered before anything matched");
        await service.SubmitBuild("a/1");
        var page = await poll;
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"the poll took {watch.Elapsed}");
        var events = page["events"]!.AsArray();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Contains("\"a/1\"", e!.ToJsonString()));
    }

    [Fact]
    public async Task A_long_poll_with_nothing_new_ends_empty_at_its_timeout()
    {
        using var service = ServiceProcess.Start(_graph);
        var watch = Stopwatch.StartNew();
        var page = await service.GetJson("/api/v1/events?since=0&wait=1");
        Assert.Empty(page["events"]!.AsArray());
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"answered after {watch.Elapsed}");
    }

    [Fact]
    public async Task A_follower_of_next_since_index_misses_and_repeats_no_event_across_a_service_restart()
    {
        var seen = new List<long>();
        var since = 0L;
        async Task Page(ServiceProcess service)
        {
            var page = await service.GetJson($"/api/v1/events?since={since}&limit=7&wait=2");
            seen.AddRange(page["events"]!.AsArray().Select(e => e!["index"]!.GetValue<long>()));
            since = page["nextSinceIndex"]!.GetValue<long>();
        }

        using (var first = ServiceProcess.Start(_graph))
        {
            await first.WaitForBuild(await first.SubmitBuild("b/1"));
            // Part of the way only: the rest is read from the next service, from the same cursor.
            await Page(first);
            await Page(first);
            Assert.Equal(0, first.Terminate());
        }
        Assert.True(since < LastIndex());
        using var second = ServiceProcess.Start(_graph);
        await second.WaitForBuild(await second.SubmitBuild("b/2"));
        while (since < LastIndex()) await Page(second);

        // The log is dense: every index from 1 to the last, once, in order.
        Assert.Equal(Enumerable.Range(1, (int)LastIndex()).Select(i => (long)i), seen);
    }

    private long LastIndex()
    {
        using var storage = new DataBuild.Storage.Sqlite.SqliteEventStorage(Path.Combine(_graph.Folder, ".databuild", "bel.sqlite"));
        return storage.List(0, new EventFilter(), int.MaxValue).Events.Last().Index;
    }

    [Fact]
    public async Task Events_are_served_over_grpc_with_the_same_filter()
    {
        using var service = ServiceProcess.Start(_graph);
        await service.WaitForBuild(await service.SubmitBuild("a/1", "a/2"));
        var page = await service.Grpc.ListEventsAsync(new ListEventsRequest { Partition = { "a/2" }, Limit = 1000 });
        Assert.NotEmpty(page.Events);
        // Every event touching a/2 (its partition events, its job's, the request naming it), none about a/1 alone.
        Assert.All(page.Events, e => Assert.Contains("\"a/2\"", e.ToString()));
        var http = await service.GetJson("/api/v1/events?partition=a/2&limit=1000");
        Assert.Equal(page.Events.Select(e => e.Index), http["events"]!.AsArray().Select(e => e!["index"]!.GetValue<long>()));
    }

    public void Dispose() => _graph.Dispose();
}
