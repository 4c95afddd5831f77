using System.Text;
using DataBuild.Proto;
using DataBuild.Refs;

namespace DataBuild.Events.Storage;

/// <summary>
/// The SQL that lists the events after a cursor that match an <see cref="EventFilter"/>. Each constrained
/// field becomes one condition (all must hold); each multi-valued one seeks its side table by value and
/// index. A glob seeks the range of refs that start with its literal prefix and is then checked by
/// <see cref="PartitionPattern.IsMatch"/> through the <c>partition_glob</c> function, so LIMIT counts only
/// real matches.
/// </summary>
internal sealed class SqliteFilterQuery
{
    public const string GlobFunction = "partition_glob";
    public const string SinceParameter = "$since";
    public const string LimitParameter = "$limit";
    private const int MaxCodePoint = 0x10FFFF;

    private SqliteFilterQuery(string sql, IReadOnlyList<KeyValuePair<string, object>> parameters, IReadOnlyList<PartitionPattern> patterns)
    {
        Sql = sql;
        Parameters = parameters;
        Patterns = patterns;
    }

    /// <summary>Values are parameters, so a follower polling one filter gets the same text each time and reuses one prepared command.</summary>
    public string Sql { get; }

    /// <summary>The filter's values, besides <see cref="SinceParameter"/> and <see cref="LimitParameter"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Parameters { get; }

    /// <summary>The globs <c>partition_glob(i, ref)</c> refers to by position.</summary>
    public IReadOnlyList<PartitionPattern> Patterns { get; }

    public static SqliteFilterQuery For(EventFilter filter)
    {
        var patterns = EventFilterMatcher.ParsePatterns(filter);
        var parameters = new List<KeyValuePair<string, object>>();
        var sql = new StringBuilder($"SELECT idx, payload FROM events WHERE idx > {SinceParameter}");

        if (filter.BuildRequestIds.Count > 0)
            sql.Append(" AND build_request_id IN (").Append(ValueList("b", filter.BuildRequestIds, parameters)).Append(')');
        if (filter.JobLabels.Count > 0)
            sql.Append(" AND job_label IN (").Append(ValueList("j", filter.JobLabels, parameters)).Append(')');
        if (filter.JobRunIds.Count > 0)
            sql.Append(" AND job_run_id IN (").Append(ValueList("u", filter.JobRunIds, parameters)).Append(')');
        if (filter.PartitionRefs.Count > 0)
            AppendSideTable(sql, "event_partitions", $"ref IN ({ValueList("r", filter.PartitionRefs, parameters)})");
        if (patterns.Count > 0)
            AppendSideTable(sql, "event_partitions", GlobCondition(patterns, parameters));
        if (filter.WantIds.Count > 0)
            AppendSideTable(sql, "event_wants", $"want_id IN ({ValueList("w", filter.WantIds, parameters)})");

        sql.Append($" ORDER BY idx LIMIT {LimitParameter}");
        return new SqliteFilterQuery(sql.ToString(), parameters, patterns);
    }

    private static void AppendSideTable(StringBuilder sql, string table, string condition) =>
        sql.Append($" AND idx IN (SELECT idx FROM {table} WHERE ({condition}) AND idx > {SinceParameter})");

    private static string ValueList(string prefix, IEnumerable<string> values, List<KeyValuePair<string, object>> parameters)
    {
        var names = new List<string>();
        foreach (var value in values.Distinct(StringComparer.Ordinal))
        {
            var name = $"${prefix}{names.Count}";
            names.Add(name);
            parameters.Add(new(name, value));
        }
        return string.Join(", ", names);
    }

    private static string GlobCondition(IReadOnlyList<PartitionPattern> patterns, List<KeyValuePair<string, object>> parameters)
    {
        var alternatives = new List<string>();
        for (var i = 0; i < patterns.Count; i++)
        {
            var range = new List<string>();
            var prefix = patterns[i].LiteralPrefix;
            if (prefix.Length > 0)
            {
                parameters.Add(new($"$g{i}from", prefix));
                range.Add($"ref >= $g{i}from");
                if (PrefixUpperBound(prefix) is { } upper)
                {
                    parameters.Add(new($"$g{i}to", upper));
                    range.Add($"ref < $g{i}to");
                }
            }
            range.Add($"{GlobFunction}({i}, ref)");
            alternatives.Add("(" + string.Join(" AND ", range) + ")");
        }
        return string.Join(" OR ", alternatives);
    }

    /// <summary>
    /// The smallest string above every string that starts with <paramref name="prefix"/>, in SQLite's
    /// binary (UTF-8, so code point) order; null when there is none.
    /// </summary>
    internal static string? PrefixUpperBound(string prefix)
    {
        var runes = prefix.EnumerateRunes().ToList();
        for (var i = runes.Count - 1; i >= 0; i--)
        {
            if (runes[i].Value == MaxCodePoint) continue;
            var next = runes[i].Value + 1;
            if (next == 0xD800) next = 0xE000;
            var bound = new StringBuilder();
            foreach (var rune in runes.Take(i)) bound.Append(rune.ToString());
            return bound.Append(new Rune(next).ToString()).ToString();
        }
        return null;
    }
}
