using DataBuild.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace DataBuild.Storage.Tests;

public sealed class SqliteEventStorageTests : EventStorageConformanceTests
{
    protected override string Uri => $"sqlite:{DatabasePath}";

    private string DatabasePath => Folder.Combine("bel.sqlite");

    [Fact]
    public void A_file_that_is_not_an_sqlite_database_is_refused_and_left_alone()
    {
        File.WriteAllText(DatabasePath, "these are not the events you are looking for\n");

        var error = Assert.Throws<InvalidDataException>(() => Open());

        Assert.Contains(DatabasePath, error.Message);
        Assert.Contains("not a DataBuild BEL", error.Message);
        Assert.Equal("these are not the events you are looking for\n", File.ReadAllText(DatabasePath));
    }

    [Fact]
    public void Another_applications_sqlite_database_is_refused()
    {
        Execute(DatabasePath, "CREATE TABLE customers (id INTEGER PRIMARY KEY)");

        var error = Assert.Throws<InvalidDataException>(() => Open());

        Assert.Contains(DatabasePath, error.Message);
        Assert.Contains("not a DataBuild BEL", error.Message);
    }

    [Fact]
    public void A_log_written_by_a_newer_schema_version_is_refused_with_the_versions()
    {
        using (Open()) { }
        Execute(DatabasePath, "PRAGMA user_version = 99");

        var error = Assert.Throws<InvalidDataException>(() => Open());

        Assert.Contains("newer", error.Message);
        Assert.Contains("99", error.Message);
        Assert.Contains(DatabasePath, error.Message);
    }

    [Fact]
    public void The_log_uses_write_ahead_logging_so_readers_do_not_block_the_writer()
    {
        using (var storage = Open()) storage.Append(TestEvents.Many(1));

        using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", command.ExecuteScalar());
    }

    [Fact]
    public void Filters_with_many_shapes_keep_working_past_the_prepared_command_cache()
    {
        using var storage = new SqliteEventStorage(DatabasePath);
        storage.Append(TestEvents.Many(3));

        for (var values = 1; values <= 100; values++)
        {
            var filter = new Proto.EventFilter();
            filter.PartitionRefs.AddRange(Enumerable.Range(0, values).Select(i => $"data/n={i}"));
            Assert.Equal(Math.Min(values, 3), storage.List(0, filter, 10).Events.Count);
        }
    }

    [Fact]
    public void Reappending_ids_with_nul_characters_finds_each_stored_one()
    {
        // SQLite stores text with its length, so "a\0z" is a whole id, greater than "a\0b" and than "a".
        using var storage = Open();
        Assert.Equal([1L, 2], storage.Append([TestEvents.Partition("a\0b", "data/b"), TestEvents.Partition("a\0z", "data/z")]));

        Assert.Equal([1L, 3, 2, 4], storage.Append([
            TestEvents.Partition("a\0b", "data/changed"), TestEvents.Partition("a", "data/a"), TestEvents.Partition("a\0z", "data/changed"),
            TestEvents.Partition("a\0c", "data/c")]));
        Assert.Equal(["a\0b", "a\0z", "a", "a\0c"], ReadAll(storage).Select(e => e.Event.EventId));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(40)]
    [InlineData(66)]
    [InlineData(71)]
    public void A_batch_whose_insert_fails_part_way_writes_nothing_and_leaves_no_gap(int failingEvent)
    {
        // Rows go in by statements of many rows that leave their earlier rows in place when a later one
        // fails (OR FAIL): the transaction, not the statement, must undo them.
        using (var storage = new SqliteEventStorage(DatabasePath)) storage.Append(TestEvents.Many(2, "old"));
        Execute(DatabasePath, "CREATE TRIGGER refuse_boom BEFORE INSERT ON events WHEN NEW.event_id = 'boom' BEGIN SELECT RAISE(FAIL, 'boom refused'); END");
        var batch = TestEvents.Many(72, "new");
        batch[failingEvent] = TestEvents.Partition("boom", "data/boom");

        using (var storage = new SqliteEventStorage(DatabasePath))
        {
            var error = Assert.Throws<SqliteException>(() => storage.Append(batch));
            Assert.Contains("boom refused", error.Message);

            Assert.Equal(["old0", "old1"], ReadAll(storage).Select(e => e.Event.EventId));
            Assert.Empty(storage.List(0, new Proto.EventFilter { PartitionRefs = { "data/n=5" } }, 10).Events);
            Assert.Equal([3L, 4], storage.Append(TestEvents.Many(2, "after")));
        }
        Execute(DatabasePath, "DROP TRIGGER refuse_boom");
        using (var storage = new SqliteEventStorage(DatabasePath))
        {
            batch[failingEvent] = TestEvents.Partition("fixed", "data/fixed");
            Assert.Equal(Enumerable.Range(5, 72).Select(i => (long)i), storage.Append(batch));
            Assert.Equal(76, ReadAll(storage).Count);
        }
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
