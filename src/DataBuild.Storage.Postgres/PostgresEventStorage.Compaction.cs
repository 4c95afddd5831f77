using DataBuild.Events;
using DataBuild.Proto;
using Npgsql;

namespace DataBuild.Storage.Postgres;

// Compaction of a PostgreSQL log (docs/event-log.md#compaction): one transaction deletes the oldest events and their
// keys and records the mark in the one row of bel_compaction, made by the first compaction (under the schema's lock,
// which also keeps two compactions apart). It does not take the append lock: the rows it deletes are below every
// append's, so appends go on, and readers see the log before or after it commits.
public sealed partial class PostgresEventStorage : IEventCompaction
{
    private const string HasCompactionTableSql = "SELECT to_regclass(quote_ident(current_schema()) || '.bel_compaction') IS NOT NULL";
    private const string ReadMarkSql = "SELECT first_retained_index, archive FROM bel_compaction WHERE slot = 1";
    private const string FirstIndexSql = "SELECT min(idx) FROM bel_events";
    private const string CreateCompactionSql = """
        CREATE TABLE IF NOT EXISTS bel_compaction (
            slot integer PRIMARY KEY CHECK (slot = 1),
            first_retained_index bigint NOT NULL,
            archive text,
            compacted_at timestamptz NOT NULL
        )
        """;
    private const string DropSql = """
        DELETE FROM bel_event_partitions WHERE idx < $1;
        DELETE FROM bel_event_wants WHERE idx < $1;
        DELETE FROM bel_events WHERE idx < $1;
        INSERT INTO bel_compaction (slot, first_retained_index, archive, compacted_at) VALUES (1, $1, $2, now())
        ON CONFLICT (slot) DO UPDATE SET first_retained_index = excluded.first_retained_index, archive = excluded.archive, compacted_at = excluded.compacted_at;
        """;

    public IEventCompaction Compaction => this;

    public CompactionMark? ReadMark() => _retry.Run(() =>
    {
        using var connection = _dataSource.OpenConnection();
        return ReadMarkIn(connection);
    });

    public void DropBefore(long firstRetainedIndex, long expectedFirstRetainedIndex, string? archive) => _retry.Run(() =>
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var create = new NpgsqlCommand(PostgresEventSchema.LockSchemaSql + ";" + CreateCompactionSql, connection)) create.ExecuteNonQuery();
        var first = ReadMarkIn(connection)?.FirstRetainedIndex ?? 1;
        if (first != expectedFirstRetainedIndex) throw new InvalidOperationException($"another compaction ran meanwhile (the log now starts at event {first})");
        long last;
        using (var lastIndex = new NpgsqlCommand(LastIndexSql, connection)) last = (long)lastIndex.ExecuteScalar()!;
        if (firstRetainedIndex > last || firstRetainedIndex < first)
            throw new InvalidOperationException($"event {firstRetainedIndex} is not in the log (it holds events {first}-{last})");
        if (SnapshotCoveredIn(connection) < firstRetainedIndex)
            throw new InvalidOperationException($"its view snapshot was deleted or replaced meanwhile and no longer covers event {firstRetainedIndex}");
        // Npgsql sends the statements of one command text as a batch; $1 and $2 are shared by them.
        using (var drop = new NpgsqlBatch(connection))
        {
            foreach (var statement in DropSql.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var command = new NpgsqlBatchCommand(statement);
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = firstRetainedIndex });
                if (statement.Contains("$2", StringComparison.Ordinal)) command.Parameters.Add(new NpgsqlParameter { Value = (object?)archive ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                drop.BatchCommands.Add(command);
            }
            drop.ExecuteNonQuery();
        }
        transaction.Commit();
        return 0;
    });

    // After a page is read (READ COMMITTED, so a later statement): had the events after sinceIndex been dropped
    // before the page was read, the lowest index stored now says so. A log never compacted keeps event 1.
    private static void ThrowIfCompactedBelow(NpgsqlConnection connection, string description, long sinceIndex, IReadOnlyList<StoredEvent> events)
    {
        if (events.Count > 0 && events[0].Index == sinceIndex + 1) return;
        long first;
        using (var command = new NpgsqlCommand(FirstIndexSql, connection))
        {
            if (command.ExecuteScalar() is not long lowest || lowest <= sinceIndex + 1) return;
            first = lowest;
        }
        var mark = ReadMarkIn(connection) ?? new CompactionMark(first, $"an archive not recorded in {description}");
        EventsCompactedException.ThrowIfBelow(description, mark, sinceIndex);
    }

    private static CompactionMark? ReadMarkIn(NpgsqlConnection connection)
    {
        using (var exists = new NpgsqlCommand(HasCompactionTableSql, connection))
            if (!(bool)exists.ExecuteScalar()!) return null;
        using var command = new NpgsqlCommand(ReadMarkSql, connection);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new CompactionMark(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)) : null;
    }
}
