using DataBuild.Events;
using DataBuild.Events.Storage;
using Microsoft.Data.Sqlite;

namespace DataBuild.Storage.Sqlite;

/// <summary>
/// The whole SQLite BEL schema. <c>events</c> holds each event once, its protobuf bytes and its
/// single-valued keys (<see cref="EventKeys"/>); the side tables hold the multi-valued ones. Every index
/// is keyed by value then index, so a filter seeks straight to the events after a cursor that carry a value.
/// </summary>
internal static class SqliteEventSchema
{
    /// <summary>"DBEL" in <c>PRAGMA application_id</c>: tells a BEL from any other SQLite file.</summary>
    public const int ApplicationId = 0x4442454C;

    /// <summary>
    /// Every step of the schema (<see cref="SqlSchemaStep"/>), oldest first; the newest one applied is stored in
    /// <c>PRAGMA user_version</c>.
    /// </summary>
    public static readonly IReadOnlyList<SqlSchemaStep> Steps = [new(1, CreateTables)];

    private const string CreateTables = """
        CREATE TABLE events (
            idx INTEGER PRIMARY KEY AUTOINCREMENT,
            event_id TEXT UNIQUE NOT NULL,
            build_request_id TEXT,
            job_label TEXT,
            job_run_id TEXT,
            timestamp INTEGER NOT NULL,
            payload BLOB NOT NULL
        );
        CREATE INDEX events_by_build_request ON events (build_request_id, idx) WHERE build_request_id IS NOT NULL;
        CREATE INDEX events_by_job_label ON events (job_label, idx) WHERE job_label IS NOT NULL;
        CREATE INDEX events_by_job_run ON events (job_run_id, idx) WHERE job_run_id IS NOT NULL;
        CREATE TABLE event_partitions (ref TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (ref, idx)) WITHOUT ROWID;
        CREATE TABLE event_wants (want_id TEXT NOT NULL, idx INTEGER NOT NULL, PRIMARY KEY (want_id, idx)) WITHOUT ROWID;
        """;

    /// <summary>
    /// The snapshot of the views (docs/event-log.md#snapshots): one row, replaced only by one covering further, and
    /// its history chunks, a row per snapshot that retired job runs (later snapshots list them; never deleted). Not a schema step: it is a cache beside the log, made by the first snapshot written, and a DataBuild that knows
    /// nothing of it reads the log as before.
    /// </summary>
    public const string CreateViewSnapshot = """
        CREATE TABLE IF NOT EXISTS view_snapshot (
            slot INTEGER PRIMARY KEY CHECK (slot = 1),
            view_schema_version INTEGER NOT NULL,
            covered_index INTEGER NOT NULL,
            payload BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS view_snapshot_history (
            chunk_id TEXT PRIMARY KEY,
            payload BLOB NOT NULL
        );
        """;

    /// <summary>
    /// Checks that <paramref name="connection"/> is a BEL this version can read, applying the steps it lacks (all
    /// of them in an empty database). Several processes may race to create it: each look at the header is one
    /// snapshot, and the creator looks again under the write lock.
    /// </summary>
    public static void EnsureCreated(SqliteConnection connection, string path)
    {
        var newest = SqlSchemaStep.Newest(Steps);
        using (var read = connection.BeginTransaction(deferred: true))
        {
            if (AppliedVersion(connection, path, newest) == newest) return;
        }
        using var write = connection.BeginTransaction(deferred: false);
        var applied = AppliedVersion(connection, path, newest);
        if (applied == newest) return;
        foreach (var step in SqlSchemaStep.Pending(Steps, applied)) Execute(connection, step.Sql);
        Execute(connection, $"PRAGMA application_id = {ApplicationId}; PRAGMA user_version = {newest};");
        write.Commit();
    }

    /// <summary>The schema version of a BEL this version can read, 0 for an empty database; throws for anything else.</summary>
    private static long AppliedVersion(SqliteConnection connection, string path, int newest)
    {
        long applicationId, version, tables;
        try
        {
            applicationId = Scalar(connection, "PRAGMA application_id");
            version = Scalar(connection, "PRAGMA user_version");
            tables = Scalar(connection, "SELECT count(*) FROM sqlite_master");
        }
        catch (SqliteException e) when (e.SqliteErrorCode == SQLitePCL.raw.SQLITE_NOTADB)
        {
            throw new InvalidDataException($"'{path}' is not a DataBuild BEL: it is not an SQLite database.", e);
        }
        if (applicationId == 0 && tables > 0)
            throw new InvalidDataException($"'{path}' is not a DataBuild BEL: it is an SQLite database with other tables in it.");
        if (applicationId != 0 && applicationId != ApplicationId)
            throw new InvalidDataException($"'{path}' is not a DataBuild BEL: it is an SQLite database of another application (application_id {applicationId}).");
        if (version > newest) throw SqlSchemaStep.WrittenByNewer($"'{path}'", version, newest);
        return applicationId == ApplicationId ? version : 0;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar() ?? 0L);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
