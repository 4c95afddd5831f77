using DataBuild.Proto;
using DataBuild.Refs;
using DataBuild.Events.Storage;

namespace DataBuild.Storage.Postgres;

/// <summary>
/// The SQL that lists a page of the events after a cursor that match an <see cref="EventFilter"/>, with the
/// highest committed index, in one statement and so from one snapshot. Each constrained field becomes one
/// condition (all must hold); values are array parameters, so the text depends only on which fields and
/// how many globs a filter has. Globs run on the server as regular expressions (<see cref="PostgresGlob"/>),
/// over the range of refs that start with their literal prefix.
/// </summary>
internal sealed class PostgresFilterQuery
{
    private PostgresFilterQuery(string sql, IReadOnlyList<object> parameters)
    {
        Sql = sql;
        Parameters = parameters;
    }

    /// <summary>Takes the cursor as <c>$1</c>, the page size as <c>$2</c> and <see cref="Parameters"/> from <c>$3</c> on.</summary>
    public string Sql { get; }

    public IReadOnlyList<object> Parameters { get; }

    public static PostgresFilterQuery For(EventFilter filter, IReadOnlyList<PartitionPattern> patterns)
    {
        var parameters = new List<object>();
        string Parameter(object value)
        {
            parameters.Add(value);
            return $"${parameters.Count + 2}";
        }

        var conditions = new List<string> { "e.idx > $1" };
        foreach (var condition in SqlEventFilter.ValueConditions(filter))
        {
            conditions.Add(condition.InSideTable
                ? SideTable(SideTables[condition.Key], $"s.{condition.Column} = ANY({Parameter(condition.Values.ToArray())})")
                : $"e.{condition.Column} = ANY({Parameter(condition.Values.ToArray())})");
        }
        if (patterns.Count > 0) conditions.Add(SideTable("bel_event_partitions", string.Join(" OR ", patterns.Select(p => GlobCondition(p, Parameter)))));

        // The LEFT JOIN keeps the head row when the page is empty: a short page must still tell how far the
        // log goes, from the same snapshot as its events, or a cursor could skip an event committed in between.
        var sql = $"""
            SELECT head.last_index, page.idx, page.payload
            FROM (SELECT COALESCE(max(idx), 0) AS last_index FROM bel_events) AS head
            LEFT JOIN LATERAL (
                SELECT e.idx, e.payload FROM bel_events AS e
                WHERE {string.Join(" AND ", conditions)}
                ORDER BY e.idx
                LIMIT $2
            ) AS page ON true
            ORDER BY page.idx
            """;
        return new PostgresFilterQuery(sql, parameters);
    }

    private static readonly Dictionary<EventKeyColumn, string> SideTables = new()
    {
        [EventKeyColumn.PartitionRef] = "bel_event_partitions",
        [EventKeyColumn.WantId] = "bel_event_wants",
    };

    // Repeating the cursor inside lets the planner seek the side table's (value, idx) index past it; it does
    // not carry an inequality across the join by itself.
    private static string SideTable(string table, string condition) =>
        $"EXISTS (SELECT 1 FROM {table} AS s WHERE s.idx = e.idx AND s.idx > $1 AND ({condition}))";

    private static string GlobCondition(PartitionPattern pattern, Func<object, string> parameter)
    {
        if (pattern.IsLiteral) return $"s.ref = {parameter(pattern.Text)}";
        var terms = SqlEventFilter.PrefixRange("s.ref", pattern.LiteralPrefix, parameter).ToList();
        terms.Add($"s.ref ~ {parameter(PostgresGlob.ToRegex(pattern))}");
        return "(" + string.Join(" AND ", terms) + ")";
    }
}
