using DataBuild.Refs;
using Microsoft.Data.Sqlite;

namespace DataBuild.Storage.Sqlite;

/// <summary>
/// One open connection with its prepared commands, used by one thread at a time. Commands are kept per
/// SQL text, so appends and a follower's repeated queries are compiled once.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    // A follower's filter shape rarely changes; the cap only bounds a caller that invents endless shapes.
    private const int MaxCachedCommands = 64;

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteRawStatement> _statements = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SqliteRawStatement> _queries = new(StringComparer.Ordinal);
    private IReadOnlyList<PartitionPattern> _patterns = [];

    public SqliteSession(string connectionString, TimeSpan busyTimeout)
    {
        Connection = new SqliteConnection(connectionString);
        Connection.Open();
        Connection.CreateFunction(SqliteFilterQuery.GlobFunction, (long pattern, string partitionRef) => _patterns[(int)pattern].IsMatch(partitionRef));
        using var pragmas = Connection.CreateCommand();
        pragmas.CommandText = string.Join(' ',
            $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds};",
            // FULL syncs the WAL on every commit: a committed batch survives a power cut, as the file
            // backend's fsync per batch does.
            "PRAGMA synchronous = FULL;",
            // Ids are usually random UUIDs, so each batch touches pages all over the id indexes: a cache
            // that holds them saves a read per insert.
            "PRAGMA cache_size = -65536;",
            // Checkpoint every ~40 MB of WAL instead of ~4 MB: fewer, larger copies into the database.
            "PRAGMA wal_autocheckpoint = 10000;");
        pragmas.ExecuteNonQuery();
    }

    public SqliteConnection Connection { get; }

    /// <summary>The globs the next query's <c>partition_glob(i, ref)</c> calls refer to.</summary>
    public void UsePatterns(IReadOnlyList<PartitionPattern> patterns) => _patterns = patterns;

    /// <summary>The prepared command for <paramref name="sql"/>, bound to <paramref name="transaction"/>; <paramref name="parameterNames"/> are created on first use.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction transaction, params IEnumerable<string> parameterNames)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            if (_commands.Count >= MaxCachedCommands) ClearCommands();
            command = Connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameterNames) command.Parameters.Add(new SqliteParameter { ParameterName = name });
            _commands[sql] = command;
        }
        command.Transaction = transaction;
        return command;
    }

    /// <summary>The prepared raw statement for <paramref name="sql"/>, one of the few fixed statements of an append.</summary>
    public SqliteRawStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteRawStatement(Connection, sql);
            _statements[sql] = statement;
        }
        return statement;
    }

    /// <summary>
    /// The prepared raw statement for a filter query. Kept apart from <see cref="Statement"/>'s, under the
    /// same cap as commands: clearing never disposes a fixed statement an append still holds.
    /// </summary>
    public SqliteRawStatement Query(string sql)
    {
        if (!_queries.TryGetValue(sql, out var query))
        {
            if (_queries.Count >= MaxCachedCommands) ClearQueries();
            query = new SqliteRawStatement(Connection, sql);
            _queries[sql] = query;
        }
        return query;
    }

    public void Dispose()
    {
        ClearCommands();
        ClearQueries();
        foreach (var statement in _statements.Values) statement.Dispose();
        Connection.Dispose();
    }

    private void ClearQueries()
    {
        foreach (var query in _queries.Values) query.Dispose();
        _queries.Clear();
    }

    private void ClearCommands()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
    }
}
