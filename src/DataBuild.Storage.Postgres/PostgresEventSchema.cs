using DataBuild.Events.Storage;
using Npgsql;

namespace DataBuild.Storage.Postgres;

/// <summary>
/// Creates and upgrades the PostgreSQL BEL in the connection's current schema. <c>bel_schema_version</c>
/// holds a row per <see cref="SqlSchemaStep"/> applied; a log is current when it has the newest one.
/// </summary>
internal static class PostgresEventSchema
{
    /// <summary>
    /// Takes the transaction-scoped lock on the current schema that every creator of its tables takes: "DBSC"
    /// (0x44425343) in the first key of a two-key advisory lock serialises creators and upgraders of one schema.
    /// </summary>
    public const string LockSchemaSql = "SELECT pg_advisory_xact_lock(1145197379, hashtext(current_schema()))";

    private const string StateSql = """
        SELECT current_schema(),
               to_regclass(quote_ident(current_schema()) || '.bel_schema_version') IS NOT NULL,
               to_regclass(quote_ident(current_schema()) || '.bel_events')::oid
        """;

    /// <summary>
    /// Checks that the current schema holds a BEL this version can read, applying the steps of
    /// <paramref name="migrations"/> it lacks (all of them in an empty schema), and returns the oid of its
    /// events table. Several processes may open a new log at once: each look is one snapshot, and an
    /// upgrader looks again under a lock on the schema before it changes anything.
    /// </summary>
    public static uint EnsureCurrent(NpgsqlConnection connection, string description, IReadOnlyList<SqlSchemaStep> migrations)
    {
        var latest = SqlSchemaStep.Newest(migrations);
        var (version, current) = ReadState(connection, description, latest);
        if (version == latest) return current!.Value;

        using var transaction = connection.BeginTransaction();
        Execute(connection, LockSchemaSql);
        Execute(connection, "CREATE TABLE IF NOT EXISTS bel_schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
        var applied = ReadState(connection, description, latest).Version;
        foreach (var migration in SqlSchemaStep.Pending(migrations, applied))
        {
            Execute(connection, migration.Sql);
            Execute(connection, $"INSERT INTO bel_schema_version (version) VALUES ({migration.Version})");
        }
        var eventsTable = ReadState(connection, description, latest).EventsTable!.Value;
        transaction.Commit();
        return eventsTable;
    }

    private static (int Version, uint? EventsTable) ReadState(NpgsqlConnection connection, string description, int newest)
    {
        string? schema;
        bool versioned;
        uint? eventsTable;
        using (var command = new NpgsqlCommand(StateSql, connection))
        using (var reader = command.ExecuteReader())
        {
            reader.Read();
            schema = reader.IsDBNull(0) ? null : reader.GetString(0);
            versioned = reader.GetBoolean(1);
            eventsTable = reader.IsDBNull(2) ? null : reader.GetFieldValue<uint>(2);
        }
        if (schema is null)
            throw new ArgumentException($"{description}: no schema of the search path exists to keep the log in. Create the schema, or name an existing one with 'Search Path=' in the connection string.");
        if (!versioned)
        {
            if (eventsTable is not null)
                throw new InvalidDataException($"{description}: schema '{schema}' is not a DataBuild BEL: it has a bel_events table but no bel_schema_version.");
            return (0, null);
        }
        using var versionCommand = new NpgsqlCommand("SELECT COALESCE(max(version), 0) FROM bel_schema_version", connection);
        var version = (int)versionCommand.ExecuteScalar()!;
        if (version > 0 && eventsTable is null)
            throw new InvalidDataException($"{description}: schema '{schema}' has a BEL schema version but no bel_events table: the log was dropped or damaged; restore it.");
        if (version > newest)
            throw SqlSchemaStep.WrittenByNewer($"{description}: schema '{schema}'", version, newest);
        return (version, eventsTable);
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
