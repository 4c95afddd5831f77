using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace DataBuild.Storage.Sqlite;

/// <summary>
/// A statement prepared once and run many times through SQLite's C API. An append runs a few statements
/// per event, and a reader steps through a row per event; binding by position and reading columns here
/// costs a fraction of <see cref="SqliteCommand"/> and its reader, which look every parameter up by name
/// and check every column on each call. It runs inside whatever transaction the connection has open.
/// </summary>
internal sealed class SqliteRawStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public SqliteRawStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle!;
        Check(raw.sqlite3_prepare_v2(_database, sql, out _statement));
    }

    // Strings up to this many UTF-8 bytes are encoded on the stack; SQLite copies what is bound.
    private const int StackTextBytes = 512;

    /// <summary>Binds parameter <paramref name="position"/> (from 1); null binds SQL NULL.</summary>
    public void Bind(int position, string? value)
    {
        // An empty span would bind a null pointer, which SQLite takes for NULL: the string overload keeps ''.
        if (value is null) Check(raw.sqlite3_bind_null(_statement, position));
        else if (value.Length == 0 || Encoding.UTF8.GetMaxByteCount(value.Length) > StackTextBytes) Check(raw.sqlite3_bind_text(_statement, position, value));
        else
        {
            // The same bytes the string overload binds (Encoding.UTF8, lone surrogates as U+FFFD), without allocating them.
            Span<byte> utf8 = stackalloc byte[StackTextBytes];
            Check(raw.sqlite3_bind_text(_statement, position, utf8[..Encoding.UTF8.GetBytes(value, utf8)]));
        }
    }

    public void Bind(int position, long value) => Check(raw.sqlite3_bind_int64(_statement, position, value));

    /// <summary>Binds a copy of <paramref name="value"/>: the caller may reuse its memory at once.</summary>
    public void Bind(int position, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, position, 0) : raw.sqlite3_bind_blob(_statement, position, value));

    /// <summary>Binds the parameter called <paramref name="name"/> (e.g. <c>$since</c>) to a string or an integer.</summary>
    public void Bind(string name, object value)
    {
        var position = raw.sqlite3_bind_parameter_index(_statement, name);
        if (position == 0) throw new ArgumentException($"the statement has no parameter {name}", nameof(name));
        switch (value)
        {
            case string text: Bind(position, text); break;
            case long number: Bind(position, number); break;
            default: throw new ArgumentException($"parameter {name}: cannot bind a {value.GetType().Name}", nameof(value));
        }
    }

    /// <summary>Moves to the next row of a query: false when there is none. Call <see cref="Reset"/> when done with the rows.</summary>
    public bool Step()
    {
        var result = raw.sqlite3_step(_statement);
        if (result == raw.SQLITE_ROW) return true;
        if (result != raw.SQLITE_DONE) Check(result);
        return false;
    }

    public long ColumnInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    /// <summary>The bytes of a blob column of the current row, valid until the next <see cref="Step"/> or <see cref="Reset"/>.</summary>
    public ReadOnlySpan<byte> ColumnBlob(int column) => raw.sqlite3_column_blob(_statement, column);

    public void Reset() => raw.sqlite3_reset(_statement);

    /// <summary>Runs a statement that returns no rows.</summary>
    public void Execute()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE) Check(result);
    }

    /// <summary>Runs a query and returns the integer in the first column of its first row, or null when it has no row.</summary>
    public long? QueryInt64()
    {
        try
        {
            var result = raw.sqlite3_step(_statement);
            if (result == raw.SQLITE_DONE) return null;
            if (result != raw.SQLITE_ROW) Check(result);
            return raw.sqlite3_column_int64(_statement, 0);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs a query and returns the text in the first column of its first row, or null when it has no row or the value is NULL.</summary>
    public string? QueryText()
    {
        try
        {
            var result = raw.sqlite3_step(_statement);
            if (result == raw.SQLITE_DONE) return null;
            if (result != raw.SQLITE_ROW) Check(result);
            return raw.sqlite3_column_type(_statement, 0) == raw.SQLITE_NULL ? null : raw.sqlite3_column_text(_statement, 0).utf8_to_string();
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int result)
    {
        if (result != raw.SQLITE_OK) SqliteException.ThrowExceptionForRC(result, _database);
    }
}
