using DataBuild.Events;
using Npgsql;
using NpgsqlTypes;

namespace DataBuild.Storage.Postgres;

// Job-run logs in a PostgreSQL log (docs/event-log.md#run-logs): bel_run_log_chunks, one row per chunk a build
// copied, keyed by run and byte offset. A chunk stored again (a retry after a lost answer) is left as it is.
public sealed partial class PostgresEventStorage : IRunLogStore
{
    private const string AppendChunkSql = """
        INSERT INTO bel_run_log_chunks (job_run_id, byte_offset, bytes, complete) VALUES ($1, $2, $3, $4)
        ON CONFLICT (job_run_id, byte_offset) DO NOTHING
        """;
    private const string LastChunkSql = """
        SELECT byte_offset + octet_length(bytes), complete FROM bel_run_log_chunks WHERE job_run_id = $1
        ORDER BY byte_offset DESC LIMIT 1
        """;
    // The chunk holding the offset, then those after it up to the end of the range read.
    private const string ChunksSql = """
        SELECT byte_offset, bytes FROM bel_run_log_chunks
        WHERE job_run_id = $1 AND byte_offset < $2 + $3
          AND byte_offset >= COALESCE((SELECT max(byte_offset) FROM bel_run_log_chunks WHERE job_run_id = $1 AND byte_offset <= $2), 0)
        ORDER BY byte_offset
        """;

    public IRunLogStore RunLogs => this;

    public void AppendChunk(string jobRunId, long offset, ReadOnlyMemory<byte> bytes, bool complete) => _retry.Run(() =>
    {
        using var connection = _dataSource.OpenConnection();
        using var command = new NpgsqlCommand(AppendChunkSql, connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobRunId });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
        command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>> { NpgsqlDbType = NpgsqlDbType.Bytea, TypedValue = bytes });
        command.Parameters.Add(new NpgsqlParameter<bool> { TypedValue = complete });
        return command.ExecuteNonQuery();
    });

    public StoredRunLog? Read(string jobRunId, long offset, int maxBytes) => _retry.Run(() =>
    {
        using var connection = _dataSource.OpenConnection();
        long length;
        bool complete;
        using (var last = new NpgsqlCommand(LastChunkSql, connection))
        {
            last.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobRunId });
            using var reader = last.ExecuteReader();
            if (!reader.Read()) return null;
            (length, complete) = (reader.GetInt64(0), reader.GetBoolean(1));
        }
        var wanted = offset >= length || maxBytes <= 0 ? 0 : (int)Math.Min(maxBytes, length - offset);
        var bytes = new byte[wanted];
        if (wanted == 0) return new StoredRunLog(bytes, length, complete);
        var filled = 0;
        using (var chunks = new NpgsqlCommand(ChunksSql, connection))
        {
            chunks.Parameters.Add(new NpgsqlParameter<string> { TypedValue = jobRunId });
            chunks.Parameters.Add(new NpgsqlParameter<long> { TypedValue = offset });
            chunks.Parameters.Add(new NpgsqlParameter<long> { TypedValue = wanted });
            using var reader = chunks.ExecuteReader();
            while (reader.Read() && filled < wanted)
            {
                var start = reader.GetInt64(0);
                var chunk = reader.GetFieldValue<byte[]>(1);
                // Chunks follow each other; a gap (a damaged table) ends what can be read.
                if (start > offset + filled) break;
                var from = (int)(offset + filled - start);
                if (from >= chunk.Length) continue;
                var count = Math.Min(chunk.Length - from, wanted - filled);
                chunk.AsSpan(from, count).CopyTo(bytes.AsSpan(filled));
                filled += count;
            }
        }
        return new StoredRunLog(filled == wanted ? bytes : bytes[..filled], length, complete);
    });
}
