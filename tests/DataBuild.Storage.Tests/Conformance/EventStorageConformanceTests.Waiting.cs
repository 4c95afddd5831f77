using System.Diagnostics;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Refs;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Storage.Tests;

/// <summary>What every backend must do for followers: <see cref="IEventStorage.WaitForEventsAsync"/> and following a log as it grows.</summary>
public abstract partial class EventStorageConformanceTests
{
    // Far above how long any backend takes to notice an append, far below the wait's own timeout.
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Waiting_returns_at_once_when_an_event_after_the_cursor_is_committed()
    {
        using var storage = Open();
        storage.Append(TestEvents.Many(2));
        var clock = Stopwatch.StartNew();

        await storage.WaitForEventsAsync(1, TimeSpan.FromSeconds(30));

        Assert.True(clock.Elapsed < Soon, $"waited {clock.Elapsed} for an event that was already there");
    }

    [Fact]
    public async Task Waiting_with_nothing_appended_ends_at_the_timeout()
    {
        using var storage = Open();
        storage.Append(TestEvents.Many(2));
        var clock = Stopwatch.StartNew();

        await storage.WaitForEventsAsync(2, TimeSpan.FromMilliseconds(400));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(350), Soon);
    }

    [Fact]
    public async Task A_waiter_wakes_soon_after_another_instance_appends()
    {
        using var waiter = Open();
        using var writer = Open();
        writer.Append(TestEvents.Many(1, "a"));
        var clock = Stopwatch.StartNew();

        var waiting = waiter.WaitForEventsAsync(1, TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        Assert.False(waiting.IsCompleted, "the wait ended before anything was appended");
        writer.Append(TestEvents.Many(1, "b"));
        await waiting;

        Assert.True(clock.Elapsed < Soon, $"the waiter woke {clock.Elapsed} after it started waiting");
    }

    [Fact]
    public async Task A_cancelled_wait_throws()
    {
        using var storage = Open();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => storage.WaitForEventsAsync(0, TimeSpan.FromSeconds(60), cancel.Token));
    }

    [Fact]
    public async Task A_follower_sees_each_matching_event_once_in_order_as_it_is_appended()
    {
        using var follower = Open();
        using var writer = Open();
        writer.Append([TestEvents.Partition("m0", "data/m0", "br-mine"), TestEvents.Partition("o0", "data/o0", "br-other")]);
        var mine = new EventFilter { BuildRequestIds = { "br-mine" } };
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<StoredEvent>();

        var following = Task.Run(async () =>
        {
            await foreach (var stored in follower.FollowAsync(0, mine, stop.Token))
            {
                seen.Add(stored);
                if (seen.Count == 6) return;
            }
        });
        for (var batch = 1; batch <= 5; batch++)
        {
            await Task.Delay(100);
            writer.Append([TestEvents.Partition($"o{batch}", $"data/o{batch}", "br-other"), TestEvents.Partition($"m{batch}", $"data/m{batch}", "br-mine")]);
        }
        await following;

        Assert.Equal(["m0", "m1", "m2", "m3", "m4", "m5"], seen.Select(e => e.Event.EventId));
        Assert.Equal([1L, 4, 6, 8, 10, 12], seen.Select(e => e.Index));
    }

    [Fact]
    public void Glob_literals_that_are_regex_metacharacters_match_only_themselves()
    {
        using var storage = Open();
        string[] refs = ["meta/a.b", "meta/aXb", "meta/(x)+", "meta/x", "meta/[y]", "meta/y", "meta/a^b$c", "meta/abc",
            "meta/a|b", "meta/a", "meta/b", "meta/a\\b", "meta/a?b", "meta/ab", "meta/é.ü", "meta/éXü"];
        storage.Append(refs.Select((r, i) => TestEvents.Partition($"e{i}", r)).ToList());
        var cases = new Dictionary<string, string[]>
        {
            ["meta/a.*"] = ["meta/a.b"],
            ["meta/(x)*"] = ["meta/(x)+"],
            ["meta/[y]*"] = ["meta/[y]"],
            ["meta/a^b$*"] = ["meta/a^b$c"],
            ["meta/a|*"] = ["meta/a|b"],
            ["meta/a\\*"] = ["meta/a\\b"],
            ["meta/a?*"] = ["meta/a?b"],
            ["meta/é.*"] = ["meta/é.ü"],
            ["**.b"] = ["meta/a.b"],
        };

        foreach (var (pattern, expected) in cases)
        {
            var found = ReadAll(storage, new EventFilter { PartitionPatterns = { pattern } });
            Assert.Equal(expected, found.Select(e => e.Event.PartitionEvent.PartitionRef.Str));
            Assert.All(expected, r => Assert.True(PartitionPattern.Parse(pattern).IsMatch(r)));
        }
    }
}
