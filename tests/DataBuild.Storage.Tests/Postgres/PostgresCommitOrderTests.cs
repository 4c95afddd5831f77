using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Proto;
using Npgsql;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Storage.Tests;

/// <summary>
/// Indexes must be in commit order, or a reader polling "since N" skips an event. With a plain sequence,
/// an append that took indexes 3-5 but commits late lets a later append commit 6-8 first; a poller then
/// moves its cursor to 8 and never sees 3-5. This holds an append open at its very end, after its rows
/// and indexes are in, and checks that no poller is ever shown a later index before it.
/// </summary>
[Collection(PostgresServerCollection.Name)]
public sealed class PostgresCommitOrderTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private const long CommitGate = 4242;

    // A deferred constraint trigger runs at commit, once the append has inserted everything: while the test
    // holds the gate, the "slow" append's transaction stays open right there.
    private static readonly string HoldSlowCommitsSql = $$"""
        CREATE FUNCTION hold_commit() RETURNS trigger LANGUAGE plpgsql AS $body$
        BEGIN
            PERFORM pg_advisory_lock_shared({{CommitGate}});
            PERFORM pg_advisory_unlock_shared({{CommitGate}});
            RETURN NULL;
        END
        $body$;
        CREATE CONSTRAINT TRIGGER hold_slow_commits AFTER INSERT ON bel_events DEFERRABLE INITIALLY DEFERRED
            FOR EACH ROW WHEN (NEW.event_id LIKE 'slow%') EXECUTE FUNCTION hold_commit();
        """;

    [Fact]
    public async Task An_append_that_commits_late_is_never_skipped_by_a_poller()
    {
        var connectionString = database.NewSchema();
        var uri = $"postgres:{connectionString}";
        using var slow = EventStorage.Open(uri);
        using var fast = EventStorage.Open(uri);
        using var poller = EventStorage.Open(uri);
        slow.Append(TestEvents.Many(2, "first"));
        PostgresDatabase.Execute(connectionString, HoldSlowCommitsSql);
        using var gate = new NpgsqlConnection(connectionString);
        gate.Open();
        Execute(gate, $"SELECT pg_advisory_lock({CommitGate})");
        var follower = new EventStorageConformanceTests.Follower(poller, new EventFilter(), limit: 10);
        follower.ReadAvailable();

        var slowAppend = Task.Run(() => slow.Append(TestEvents.Many(3, "slow")));
        WaitUntil(() => LockWaiters(gate) == 1, "the slow append to reach its commit");
        var fastAppend = Task.Run(() => fast.Append(TestEvents.Many(3, "fast")));
        WaitUntil(() => fastAppend.IsCompleted || LockWaiters(gate) == 2, "the fast append to commit or to wait");
        for (var poll = 0; poll < 5; poll++)
        {
            follower.ReadAvailable();
            Thread.Sleep(20);
        }
        Execute(gate, $"SELECT pg_advisory_unlock({CommitGate})");
        var slowIndexes = await slowAppend;
        var fastIndexes = await fastAppend;
        follower.ReadAvailable();

        Assert.Equal([3L, 4, 5], slowIndexes);
        Assert.Equal([6L, 7, 8], fastIndexes);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => (long)i), follower.Seen.Select(e => e.Index));
        Assert.Equal(["first0", "first1", "slow0", "slow1", "slow2", "fast0", "fast1", "fast2"], follower.Seen.Select(e => e.Event.EventId));
    }

    private static long LockWaiters(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
            connection);
        return (long)command.ExecuteScalar()!;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }

    private static void WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited too long for {what}");
            Thread.Sleep(10);
        }
    }
}
