using System.Text;
using DataBuild.Proto;

namespace DataBuild.Events.Storage;

/// <summary>The keys of an event that an <see cref="EventFilter"/> constrains, as the SQL backends store them.</summary>
public enum EventKeyColumn
{
    BuildRequestId,
    JobLabel,
    JobRunId,
    PartitionRef,
    WantId,
}

/// <summary>One constrained field of a filter: the event must carry one of <see cref="Values"/> (distinct, in the filter's order).</summary>
public sealed record SqlValueCondition(EventKeyColumn Key, IReadOnlyList<string> Values)
{
    /// <summary>The column that holds the key, in the events table or in its side table.</summary>
    public string Column => Key switch
    {
        EventKeyColumn.BuildRequestId => "build_request_id",
        EventKeyColumn.JobLabel => "job_label",
        EventKeyColumn.JobRunId => "job_run_id",
        EventKeyColumn.PartitionRef => "ref",
        _ => "want_id",
    };

    /// <summary>True for the keys an event carries several of (refs, wants), kept in a side table keyed by (value, idx).</summary>
    public bool InSideTable => Key is EventKeyColumn.PartitionRef or EventKeyColumn.WantId;
}

/// <summary>
/// The rules both SQL backends (SQLite, PostgreSQL) follow to turn an <see cref="EventFilter"/> into SQL, so they
/// select the same events: every constrained field is one condition and all of them must hold; single-valued keys
/// are columns of the events table (<see cref="EventKeys"/>), multi-valued ones side tables; a glob is checked over
/// the range of refs that start with its literal prefix. How each dialect writes a condition is its own (value
/// lists or arrays, IN or EXISTS), as each planner seeks its indexes best.
/// </summary>
public static class SqlEventFilter
{
    private const int MaxCodePoint = 0x10FFFF;

    /// <summary>The filter's exact-value conditions, in a fixed order (the SQL text depends only on which fields are set).</summary>
    public static IReadOnlyList<SqlValueCondition> ValueConditions(EventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var conditions = new List<SqlValueCondition>();
        void Add(EventKeyColumn key, IReadOnlyCollection<string> values)
        {
            if (values.Count > 0) conditions.Add(new SqlValueCondition(key, values.Distinct(StringComparer.Ordinal).ToArray()));
        }
        Add(EventKeyColumn.BuildRequestId, filter.BuildRequestIds);
        Add(EventKeyColumn.JobLabel, filter.JobLabels);
        Add(EventKeyColumn.JobRunId, filter.JobRunIds);
        Add(EventKeyColumn.PartitionRef, filter.PartitionRefs);
        Add(EventKeyColumn.WantId, filter.WantIds);
        return conditions;
    }

    /// <summary>
    /// The terms that keep <paramref name="column"/> within the refs starting with <paramref name="literalPrefix"/>
    /// (<c>column &gt;= prefix</c> and, when there is a bound, <c>column &lt; bound</c>); none for an empty prefix,
    /// whose range is every ref. <paramref name="parameter"/> turns a value into the dialect's parameter.
    /// </summary>
    public static IReadOnlyList<string> PrefixRange(string column, string literalPrefix, Func<string, string> parameter)
    {
        if (literalPrefix.Length == 0) return [];
        var terms = new List<string> { $"{column} >= {parameter(literalPrefix)}" };
        if (PrefixUpperBound(literalPrefix) is { } upper) terms.Add($"{column} < {parameter(upper)}");
        return terms;
    }

    /// <summary>
    /// The smallest string above every string that starts with <paramref name="prefix"/>, in code point order (SQLite's
    /// binary collation and PostgreSQL's <c>"C"</c> both compare refs so); null when there is none.
    /// </summary>
    public static string? PrefixUpperBound(string prefix)
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
