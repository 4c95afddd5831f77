using DataBuild.Events;
using DataBuild.Proto;
using Microsoft.Data.Sqlite;

namespace DataBuild.Storage.Sqlite;

// Compaction of an SQLite log (docs/event-log.md#compaction): one write transaction deletes the oldest events and
// their keys and records the mark in the one row of table compaction, made by the first compaction. Appends wait for
// it as for any other writer; readers see the log before or after. The file keeps its size (SQLite reuses the pages).
public sealed partial class SqliteEventStorage : IEventCompaction
{
    private const string HasCompactionTableSql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'compaction'";
    private const string ReadMarkSql = "SELECT first_retained_index, archive FROM compaction WHERE slot = 1";
    private const string FirstIndexSql = "SELECT min(idx) FROM events";
    private const string CreateCompactionSql = """
        CREATE TABLE IF NOT EXISTS compaction (
            slot INTEGER PRIMARY KEY CHECK (slot = 1),
            first_retained_index INTEGER NOT NULL,
            archive TEXT,
            compacted_at INTEGER NOT NULL
        )
        """;
    private const string DropSql = """
        DELETE FROM event_partitions WHERE idx < $first;
        DELETE FROM event_wants WHERE idx < $first;
        DELETE FROM events WHERE idx < $first;
        INSERT INTO compaction (slot, first_retained_index, archive, compacted_at) VALUES (1, $first, $archive, $at)
        ON CONFLICT (slot) DO UPDATE SET first_retained_index = excluded.first_retained_index, archive = excluded.archive, compacted_at = excluded.compacted_at;
        """;

    public IEventCompaction Compaction => this;

    public CompactionMark? ReadMark() => WithSession("read", session =>
    {
        using var transaction = session.Connection.BeginTransaction(deferred: true);
        return ReadMarkIn(session.Connection);
    });

    public void DropBefore(long firstRetainedIndex, long expectedFirstRetainedIndex, string? archive) => WithSession("write to", session =>
    {
        using var transaction = session.Connection.BeginTransaction(deferred: false);
        using var command = session.Connection.CreateCommand();
        command.CommandText = CreateCompactionSql;
        command.ExecuteNonQuery();
        var first = ReadMarkIn(session.Connection)?.FirstRetainedIndex ?? 1;
        if (first != expectedFirstRetainedIndex) throw new InvalidOperationException($"another compaction ran meanwhile (the log now starts at event {first})");
        var last = session.Statement(LastIndexSql).QueryInt64()!.Value;
        if (firstRetainedIndex > last || firstRetainedIndex < first)
            throw new InvalidOperationException($"event {firstRetainedIndex} is not in the log (it holds events {first}-{last})");
        if (SnapshotCoveredIn(session.Connection) < firstRetainedIndex)
            throw new InvalidOperationException($"its view snapshot was deleted or replaced meanwhile and no longer covers event {firstRetainedIndex}");
        command.CommandText = DropSql;
        command.Parameters.AddWithValue("$first", firstRetainedIndex);
        command.Parameters.AddWithValue("$archive", (object?)archive ?? DBNull.Value);
        command.Parameters.AddWithValue("$at", BuildEventLog.UnixNanos(DateTimeOffset.UtcNow));
        command.ExecuteNonQuery();
        transaction.Commit();
        return 0;
    });

    // In a read transaction, after a page is read: the page has no silent gap unless events after sinceIndex were
    // dropped, which the lowest index stored tells (a log never compacted keeps event 1).
    private void ThrowIfCompactedBelow(SqliteSession session, long sinceIndex, IReadOnlyList<StoredEvent> events)
    {
        if (events.Count > 0 && events[0].Index == sinceIndex + 1) return;
        if (session.Statement(FirstIndexSql).QueryInt64() is not { } first || first <= sinceIndex + 1) return;
        var mark = ReadMarkIn(session.Connection) ?? new CompactionMark(first, $"an archive not recorded in {Path}");
        EventsCompactedException.ThrowIfBelow(Description, mark, sinceIndex);
    }

    private static CompactionMark? ReadMarkIn(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = HasCompactionTableSql;
        if ((long)command.ExecuteScalar()! == 0) return null;
        command.CommandText = ReadMarkSql;
        using var reader = command.ExecuteReader();
        return reader.Read() ? new CompactionMark(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : null;
    }
}
