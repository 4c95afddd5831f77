using System.Collections.Concurrent;
using System.Text;
using Microsoft.Data.Sqlite;

namespace DataBuild.Events.Storage;

/// <summary>
/// Inserts rows many per statement: a batch of a thousand events is a few dozen statement executions
/// instead of thousands, which is most of the cost of an append.
/// </summary>
internal static class SqliteBulkInsert
{
    // SQLite allows 32766 parameters per statement; 64 rows keeps statements short and still amortises the call.
    public const int RowsPerStatement = 64;

    private static readonly ConcurrentDictionary<(string Table, int Rows), string> Statements = new();

    public static void Insert(SqliteSession session, SqliteTransaction transaction, string table, string[] columns, IReadOnlyList<object?[]> rows)
    {
        var done = 0;
        while (done < rows.Count)
        {
            var count = rows.Count - done >= RowsPerStatement ? RowsPerStatement : 1;
            var sql = Statements.GetOrAdd((table, count), key => Sql(key.Table, columns, key.Rows));
            var command = session.Command(sql, transaction, ParameterNames(columns.Length, count));
            for (var r = 0; r < count; r++)
            {
                var row = rows[done + r];
                for (var c = 0; c < columns.Length; c++) command.Parameters[r * columns.Length + c].Value = row[c] ?? DBNull.Value;
            }
            command.ExecuteNonQuery();
            done += count;
        }
    }

    private static string Sql(string table, string[] columns, int rowCount)
    {
        var sql = new StringBuilder($"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ");
        for (var r = 0; r < rowCount; r++)
        {
            if (r > 0) sql.Append(", ");
            sql.Append('(').Append(string.Join(", ", Enumerable.Range(0, columns.Length).Select(c => $"$p{r * columns.Length + c}"))).Append(')');
        }
        return sql.ToString();
    }

    public static IEnumerable<string> ParameterNames(int columnCount, int rowCount) =>
        Enumerable.Range(0, columnCount * rowCount).Select(i => $"$p{i}");
}
