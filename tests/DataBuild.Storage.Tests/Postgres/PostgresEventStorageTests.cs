using System.Diagnostics;
using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Storage.Postgres;
using Npgsql;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Storage.Tests;

[Collection(PostgresServerCollection.Name)]
public sealed class PostgresEventStorageTests : EventStorageConformanceTests, IClassFixture<PostgresDatabase>
{
    private readonly PostgresDatabase _database;

    public PostgresEventStorageTests(PostgresDatabase database)
    {
        _database = database;
        ConnectionString = database.NewSchema();
    }

    protected override string Uri => $"postgres:{ConnectionString}";

    private string ConnectionString { get; }

    [Fact]
    public void The_description_names_the_database_but_not_the_password()
    {
        var withPassword = new NpgsqlConnectionStringBuilder(ConnectionString) { Password = "s3cret-pw" }.ToString();

        using var storage = EventStorage.Open($"postgres:{withPassword}");

        Assert.IsType<PostgresEventStorage>(storage);
        Assert.StartsWith("postgres:", storage.Description);
        Assert.Contains(_database.Name, storage.Description);
        Assert.DoesNotContain("s3cret-pw", storage.Description);
    }

    [Fact]
    public void A_log_is_created_at_the_newest_schema_version_and_upgraded_by_forward_steps()
    {
        using (var storage = Open()) storage.Append(TestEvents.Many(2));
        Assert.Equal([1, 2], Versions());

        using (var connection = new NpgsqlConnection(ConnectionString))
        {
            connection.Open();
            PostgresEventSchema.EnsureCurrent(connection, "test", [.. PostgresMigration.All, new SqlSchemaStep(3, "ALTER TABLE bel_events ADD COLUMN note text")]);
        }

        Assert.Equal([1, 2, 3], Versions());
        Assert.Equal(0L, PostgresDatabase.Query<long>(ConnectionString, "SELECT count(*) FROM bel_events WHERE note IS NOT NULL"));
        var error = Assert.Throws<InvalidDataException>(() => Open());
        Assert.Contains("newer", error.Message);
        Assert.Contains("version 3", error.Message);
    }

    [Fact]
    public void A_schema_with_another_applications_bel_events_table_is_refused_and_left_alone()
    {
        PostgresDatabase.Execute(ConnectionString, "CREATE TABLE bel_events (id integer)");

        var error = Assert.Throws<InvalidDataException>(() => Open());

        Assert.Contains("not a DataBuild BEL", error.Message);
        Assert.Equal(0L, PostgresDatabase.Query<long>(ConnectionString, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'bel_schema_version'"));
    }

    [Fact]
    public void A_log_whose_events_table_was_dropped_is_refused()
    {
        using (var storage = Open()) storage.Append(TestEvents.Many(1));
        PostgresDatabase.Execute(ConnectionString, "DROP TABLE bel_events");

        var error = Assert.Throws<InvalidDataException>(() => Open());

        Assert.Contains("no bel_events table", error.Message);
    }

    [Fact]
    public void A_search_path_naming_no_existing_schema_is_refused_with_what_to_do()
    {
        var missing = new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = "no_such_schema" }.ToString();

        var error = Assert.Throws<ArgumentException>(() => EventStorage.Open($"postgres:{missing}"));

        Assert.Contains("Search Path", error.Message);
    }

    [Fact]
    public void Logs_in_two_schemas_of_one_database_are_independent()
    {
        var otherSchema = _database.NewSchema();
        using var one = Open();
        using var other = EventStorage.Open($"postgres:{otherSchema}");

        Assert.Equal([1L, 2], one.Append(TestEvents.Many(2, "a")));
        Assert.Equal([1L], other.Append(TestEvents.Many(1, "a")));

        Assert.Equal(["a0", "a1"], ReadAll(one).Select(e => e.Event.EventId));
        Assert.Equal(["a0"], ReadAll(other).Select(e => e.Event.EventId));
        Assert.NotEqual(((PostgresEventStorage)one).Channel, ((PostgresEventStorage)other).Channel);
    }

    [Fact]
    public async Task Each_append_notifies_the_logs_channel_with_its_last_index()
    {
        using var storage = (PostgresEventStorage)Open();
        await using var listener = new NpgsqlConnection(ConnectionString);
        await listener.OpenAsync();
        var payloads = new List<string>();
        listener.Notification += (_, e) => payloads.Add(e.Payload);
        await using (var listen = new NpgsqlCommand($"LISTEN {storage.Channel}", listener)) await listen.ExecuteNonQueryAsync();

        storage.Append(TestEvents.Many(3, "a"));
        storage.Append(TestEvents.Many(3, "a"));
        storage.Append(TestEvents.Many(2, "b"));
        while (payloads.Count < 2) Assert.True(await listener.WaitAsync(TimeSpan.FromSeconds(10)), "no notification came");

        Assert.Equal(["3", "5"], payloads);
    }

    [Fact]
    public async Task A_waiter_whose_listening_connection_is_cut_still_wakes_soon_after_an_append()
    {
        using var waiter = Open();
        using var writer = Open();
        var clock = Stopwatch.StartNew();
        var waiting = waiter.WaitForEventsAsync(0, TimeSpan.FromSeconds(60));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (PostgresDatabase.Query<long>(ConnectionString, $"{ListenersSql} AND pg_terminate_backend(pid)") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the waiter never started listening");
            await Task.Delay(20);
        }

        writer.Append(TestEvents.Many(1));
        await waiting;

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the waiter woke {clock.Elapsed} after it started waiting");
    }

    private const string ListenersSql = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'";

    private List<int> Versions()
    {
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT version FROM bel_schema_version ORDER BY version", connection);
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read()) versions.Add(reader.GetInt32(0));
        return versions;
    }
}
