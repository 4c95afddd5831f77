using DataBuild.Refs;
using Microsoft.Data.Sqlite;

namespace DataBuild.Events.Storage;

/// <summary>
/// One open connection with its prepared commands, used by one thread at a time. Commands are kept per
/// SQL text, so appends and a follower's repeated queries are compiled once.
/// </summary>
internal sealed class SqliteSession : IDisposable
{
    // A follower's filter shape rarely changes; the cap only bounds a caller that invents endless shapes.
    private const int MaxCachedCommands = 64;

    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private IReadOnlyList<PartitionPattern> _patterns = [];

    public SqliteSession(string connectionString, TimeSpan busyTimeout)
    {
        Connection = new SqliteConnection(connectionString);
        Connection.Open();
        Connection.CreateFunction(SqliteFilterQuery.GlobFunction, (long pattern, string partitionRef) => _patterns[(int)pattern].IsMatch(partitionRef));
        using var pragmas = Connection.CreateCommand();
        // FULL: a committed batch survives a power cut too, as the file backend's fsync per batch does.
        pragmas.CommandText = $"PRAGMA busy_timeout = {(long)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000; PRAGMA cache_size = -32768;";
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

    public void Dispose()
    {
        ClearCommands();
        Connection.Dispose();
    }

    private void ClearCommands()
    {
        foreach (var command in _commands.Values) command.Dispose();
        _commands.Clear();
    }
}
