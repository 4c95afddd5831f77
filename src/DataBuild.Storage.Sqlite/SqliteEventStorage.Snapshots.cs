using DataBuild.Events;
using Microsoft.Data.Sqlite;

namespace DataBuild.Storage.Sqlite;

// The snapshot store of an SQLite log (docs/event-log.md#snapshots): the one row of view_snapshot, in the same
// file, made by the first snapshot written. Replacing it is one transaction, so atomic; the WHERE keeps the row
// that covers furthest. Its history chunk is a row of view_snapshot_history written in the same transaction, and kept.
public sealed partial class SqliteEventStorage : ISnapshotStore
{
    private const string HasSnapshotTableSql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'view_snapshot'";
    private const string ReadSnapshotSql = "SELECT covered_index, view_schema_version, payload FROM view_snapshot WHERE slot = 1";
    private const string WriteSnapshotSql = """
        INSERT INTO view_snapshot (slot, view_schema_version, covered_index, payload) VALUES (1, $version, $covered, $payload)
        ON CONFLICT (slot) DO UPDATE SET view_schema_version = excluded.view_schema_version, covered_index = excluded.covered_index,
            payload = excluded.payload
        WHERE excluded.covered_index > view_snapshot.covered_index
        """;

    private const string HasHistoryTableSql = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'view_snapshot_history'";

    public ISnapshotStore Snapshots => this;

    public StoredSnapshot? ReadSnapshot() => WithSession("read", session =>
    {
        using var transaction = session.Connection.BeginTransaction(deferred: true);
        using var command = session.Connection.CreateCommand();
        command.CommandText = HasSnapshotTableSql;
        if ((long)command.ExecuteScalar()! == 0) return null;
        command.CommandText = ReadSnapshotSql;
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StoredSnapshot(reader.GetInt64(0), reader.GetInt32(1), reader.GetFieldValue<byte[]>(2)) : null;
    });

    public bool WriteSnapshot(StoredSnapshot snapshot) => WithSession("write to", session =>
    {
        using var transaction = session.Connection.BeginTransaction(deferred: false);
        using var command = session.Connection.CreateCommand();
        command.CommandText = SqliteEventSchema.CreateViewSnapshot;
        command.ExecuteNonQuery();
        command.CommandText = WriteSnapshotSql;
        command.Parameters.AddWithValue("$version", snapshot.ViewSchemaVersion);
        command.Parameters.AddWithValue("$covered", snapshot.CoveredIndex);
        command.Parameters.Add(new SqliteParameter("$payload", SqliteType.Blob) { Value = snapshot.Payload });
        var written = command.ExecuteNonQuery() > 0;
        if (written && snapshot.History is { } history)
        {
            command.Parameters.Clear();
            command.CommandText = "INSERT INTO view_snapshot_history (chunk_id, payload) VALUES ($id, $payload)";
            command.Parameters.AddWithValue("$id", history.Id);
            command.Parameters.Add(new SqliteParameter("$payload", SqliteType.Blob) { Value = history.Payload });
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        return written;
    });

    public byte[]? ReadHistory(string chunkId) => WithSession("read", session =>
    {
        using var transaction = session.Connection.BeginTransaction(deferred: true);
        using var command = session.Connection.CreateCommand();
        command.CommandText = HasHistoryTableSql;
        if ((long)command.ExecuteScalar()! == 0) return null;
        command.CommandText = "SELECT payload FROM view_snapshot_history WHERE chunk_id = $id";
        command.Parameters.AddWithValue("$id", chunkId);
        return command.ExecuteScalar() as byte[];
    });

    public void DeleteSnapshot() => WithSession("write to", session =>
    {
        using var command = session.Connection.CreateCommand();
        command.CommandText = HasSnapshotTableSql;
        if ((long)command.ExecuteScalar()! == 0) return 0;
        command.CommandText = "DELETE FROM view_snapshot";
        return command.ExecuteNonQuery();
    });

    // In a write transaction, as DropBefore is: SQLite's one writer at a time keeps the two apart.
    public CompactionMark? DeleteSnapshotUnlessCompacted() => WithSession<CompactionMark?>("write to", session =>
    {
        using var transaction = session.Connection.BeginTransaction(deferred: false);
        if (ReadMarkIn(session.Connection) is { } mark) return mark;
        using var command = session.Connection.CreateCommand();
        command.CommandText = HasSnapshotTableSql;
        if ((long)command.ExecuteScalar()! == 0) return null;
        command.CommandText = "DELETE FROM view_snapshot";
        command.ExecuteNonQuery();
        transaction.Commit();
        return null;
    });

    // Inside a transaction: the index the stored snapshot covers, 0 when there is none.
    private static long SnapshotCoveredIn(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = HasSnapshotTableSql;
        if ((long)command.ExecuteScalar()! == 0) return 0;
        command.CommandText = "SELECT covered_index FROM view_snapshot WHERE slot = 1";
        return command.ExecuteScalar() is long covered ? covered : 0;
    }
}
