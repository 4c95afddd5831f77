using DataBuild.Events;
using Npgsql;
using NpgsqlTypes;

namespace DataBuild.Storage.Postgres;

// The snapshot store of a PostgreSQL log (docs/event-log.md#snapshots): the one row of bel_view_snapshot, in the
// log's schema, made by the first snapshot written (under the schema's lock, as the schema is). Replacing it is one
// transaction, so atomic; the WHERE keeps the row that covers furthest, and a second writer at once waits on the
// row's lock and then sees the first one's. Its history chunk is a row of bel_view_snapshot_history written in the
// same transaction, and kept.
public sealed partial class PostgresEventStorage : ISnapshotStore
{
    private const string HasSnapshotTableSql = "SELECT to_regclass(quote_ident(current_schema()) || '.bel_view_snapshot') IS NOT NULL";
    private const string ReadSnapshotSql = "SELECT covered_index, view_schema_version, payload FROM bel_view_snapshot WHERE slot = 1";
    private const string WriteSnapshotSql = """
        INSERT INTO bel_view_snapshot (slot, view_schema_version, covered_index, payload) VALUES (1, $1, $2, $3)
        ON CONFLICT (slot) DO UPDATE SET view_schema_version = excluded.view_schema_version, covered_index = excluded.covered_index,
            payload = excluded.payload
        WHERE excluded.covered_index > bel_view_snapshot.covered_index
        """;

    private const string HasHistoryTableSql = "SELECT to_regclass(quote_ident(current_schema()) || '.bel_view_snapshot_history') IS NOT NULL";
    private const string WriteHistorySql = "INSERT INTO bel_view_snapshot_history (chunk_id, payload) VALUES ($1, $2)";

    public ISnapshotStore Snapshots => this;

    public StoredSnapshot? ReadSnapshot() => _retry.Run(() =>
    {
        using var connection = _dataSource.OpenConnection();
        using (var exists = new NpgsqlCommand(HasSnapshotTableSql, connection))
            if (!(bool)exists.ExecuteScalar()!) return null;
        using var command = new NpgsqlCommand(ReadSnapshotSql, connection);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StoredSnapshot(reader.GetInt64(0), reader.GetInt32(1), reader.GetFieldValue<byte[]>(2)) : null;
    });

    public bool WriteSnapshot(StoredSnapshot snapshot) => _retry.Run(() =>
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var create = new NpgsqlCommand(PostgresEventSchema.LockSchemaSql + ";" + PostgresMigration.CreateViewSnapshot, connection)) create.ExecuteNonQuery();
        using var command = new NpgsqlCommand(WriteSnapshotSql, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = snapshot.ViewSchemaVersion });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = snapshot.CoveredIndex });
        command.Parameters.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = snapshot.Payload });
        var written = command.ExecuteNonQuery() > 0;
        if (written && snapshot.History is { } history)
        {
            using var chunk = new NpgsqlCommand(WriteHistorySql, connection);
            chunk.Parameters.Add(new NpgsqlParameter<string> { TypedValue = history.Id });
            chunk.Parameters.Add(new NpgsqlParameter<byte[]> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = history.Payload });
            chunk.ExecuteNonQuery();
        }
        transaction.Commit();
        return written;
    });

    public byte[]? ReadHistory(string chunkId) => _retry.Run(() =>
    {
        using var connection = _dataSource.OpenConnection();
        using (var exists = new NpgsqlCommand(HasHistoryTableSql, connection))
            if (!(bool)exists.ExecuteScalar()!) return null;
        using var command = new NpgsqlCommand("SELECT payload FROM bel_view_snapshot_history WHERE chunk_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = chunkId });
        return command.ExecuteScalar() as byte[];
    });

    public void DeleteSnapshot() => _retry.Run(() =>
    {
        using var connection = _dataSource.OpenConnection();
        using (var exists = new NpgsqlCommand(HasSnapshotTableSql, connection))
            if (!(bool)exists.ExecuteScalar()!) return 0;
        using var command = new NpgsqlCommand("DELETE FROM bel_view_snapshot", connection);
        return command.ExecuteNonQuery();
    });

    // Under the schema's lock, which DropBefore holds for its whole transaction: the two exclude each other.
    public CompactionMark? DeleteSnapshotUnlessCompacted() => _retry.Run<CompactionMark?>(() =>
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var lockSchema = new NpgsqlCommand(PostgresEventSchema.LockSchemaSql, connection)) lockSchema.ExecuteNonQuery();
        // A log never compacted keeps event 1. Read from bel_events, not the catalog: a lookup of bel_compaction by
        // name could still miss the table a compaction made while this transaction waited for the lock.
        using (var lowest = new NpgsqlCommand(FirstIndexSql, connection))
            if (lowest.ExecuteScalar() is long first && first > 1)
                return ReadMarkIn(connection) ?? new CompactionMark(first, $"an archive not recorded in {Description}");
        using (var exists = new NpgsqlCommand(HasSnapshotTableSql, connection))
            if (!(bool)exists.ExecuteScalar()!) return null;
        using (var command = new NpgsqlCommand("DELETE FROM bel_view_snapshot", connection)) command.ExecuteNonQuery();
        transaction.Commit();
        return null;
    });

    // Inside a transaction: the index the stored snapshot covers, 0 when there is none.
    private static long SnapshotCoveredIn(NpgsqlConnection connection)
    {
        using (var exists = new NpgsqlCommand(HasSnapshotTableSql, connection))
            if (!(bool)exists.ExecuteScalar()!) return 0;
        using var command = new NpgsqlCommand("SELECT covered_index FROM bel_view_snapshot WHERE slot = 1", connection);
        return command.ExecuteScalar() is long covered ? covered : 0;
    }
}
