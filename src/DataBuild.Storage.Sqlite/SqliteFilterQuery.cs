using System.Text;
using DataBuild.Proto;
using DataBuild.Refs;
using DataBuild.Events.Storage;

namespace DataBuild.Storage.Sqlite;

/// <summary>
/// The SQL that lists the events after a cursor that match an <see cref="EventFilter"/>. Each constrained
/// field becomes one condition (all must hold); exact values seek their index by value and index.
/// Globs are checked one of two ways. When few refs start with the globs' literal prefixes, the query
/// seeks those prefix ranges in <c>event_partitions</c> and checks each ref with
/// <see cref="PartitionPattern.IsMatch"/> through the <c>partition_glob</c> function. Otherwise seeking
/// would walk every ref in the ranges for each page, so the query leaves the globs out and the caller
/// checks them on the events it reads in index order, stopping once the page is full.
/// </summary>
internal sealed class SqliteFilterQuery
{
    public const string GlobFunction = "partition_glob";
    public const string SinceParameter = "$since";
    public const string LimitParameter = "$limit";

    private SqliteFilterQuery(string sql, IReadOnlyList<KeyValuePair<string, object>> parameters, bool leavesGlobsToCaller)
    {
        Sql = sql;
        Parameters = parameters;
        LeavesGlobsToCaller = leavesGlobsToCaller;
        HasSince = sql.Contains(SinceParameter, StringComparison.Ordinal);
        HasLimit = sql.Contains(LimitParameter, StringComparison.Ordinal);
    }

    /// <summary>Values are parameters, so a follower polling one filter gets the same text each time and reuses one prepared command.</summary>
    public string Sql { get; }

    /// <summary>The filter's values, besides <see cref="SinceParameter"/> and <see cref="LimitParameter"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Parameters { get; }

    /// <summary>True when the SQL ignores the globs and has no LIMIT: the caller filters the rows and stops reading at a full page.</summary>
    public bool LeavesGlobsToCaller { get; }

    public bool HasSince { get; }

    public bool HasLimit { get; }

    /// <param name="patterns">The filter's globs, parsed; <c>partition_glob(i, ref)</c> refers to them by position.</param>
    /// <param name="globsBySideTable">Whether to check the globs in SQL over their prefix ranges; see the class summary.</param>
    public static SqliteFilterQuery For(EventFilter filter, IReadOnlyList<PartitionPattern> patterns, bool globsBySideTable)
    {
        var parameters = new List<KeyValuePair<string, object>>();
        var sql = new StringBuilder($"SELECT idx, payload FROM events WHERE idx > {SinceParameter}");

        foreach (var condition in SqlEventFilter.ValueConditions(filter))
        {
            var values = $"{condition.Column} IN ({ValueList(condition.Values, parameters)})";
            if (condition.InSideTable) AppendSideTable(sql, SideTables[condition.Key], values);
            else sql.Append(" AND ").Append(values);
        }

        var leavesGlobsToCaller = patterns.Count > 0 && !globsBySideTable;
        if (patterns.Count > 0 && globsBySideTable)
            AppendSideTable(sql, SideTables[EventKeyColumn.PartitionRef], GlobCondition(patterns, parameters, checkGlobs: true));

        sql.Append(" ORDER BY idx");
        if (!leavesGlobsToCaller) sql.Append($" LIMIT {LimitParameter}");
        return new SqliteFilterQuery(sql.ToString(), parameters, leavesGlobsToCaller);
    }

    /// <summary>
    /// Counts, up to <see cref="LimitParameter"/>, the refs in the globs' prefix ranges: an index-only scan
    /// of at most that many entries. Seeking the ranges walks all of them on every page, whatever the
    /// cursor, so this is the cost of that way. Null when a glob has no literal prefix: its range is every ref.
    /// </summary>
    public static SqliteFilterQuery? PrefixRangeCount(IReadOnlyList<PartitionPattern> patterns)
    {
        if (patterns.Any(p => p.LiteralPrefix.Length == 0)) return null;
        var parameters = new List<KeyValuePair<string, object>>();
        var ranges = GlobCondition(patterns, parameters, checkGlobs: false);
        return new SqliteFilterQuery(
            $"SELECT count(*) FROM (SELECT 1 FROM event_partitions WHERE {ranges} LIMIT {LimitParameter})",
            parameters, leavesGlobsToCaller: false);
    }

    private static readonly Dictionary<EventKeyColumn, string> SideTables = new()
    {
        [EventKeyColumn.PartitionRef] = "event_partitions",
        [EventKeyColumn.WantId] = "event_wants",
    };

    private static void AppendSideTable(StringBuilder sql, string table, string condition) =>
        sql.Append($" AND idx IN (SELECT idx FROM {table} WHERE ({condition}) AND idx > {SinceParameter})");

    private static string ValueList(IEnumerable<string> values, List<KeyValuePair<string, object>> parameters) =>
        string.Join(", ", values.Select(value => Parameter(value, parameters)));

    private static string Parameter(string value, List<KeyValuePair<string, object>> parameters)
    {
        var name = $"$p{parameters.Count}";
        parameters.Add(new(name, value));
        return name;
    }

    private static string GlobCondition(IReadOnlyList<PartitionPattern> patterns, List<KeyValuePair<string, object>> parameters, bool checkGlobs)
    {
        var alternatives = new List<string>();
        for (var i = 0; i < patterns.Count; i++)
        {
            var terms = SqlEventFilter.PrefixRange("ref", patterns[i].LiteralPrefix, value => Parameter(value, parameters)).ToList();
            if (checkGlobs) terms.Add($"{GlobFunction}({i}, ref)");
            alternatives.Add("(" + string.Join(" AND ", terms) + ")");
        }
        return string.Join(" OR ", alternatives);
    }
}
