using System.Globalization;
using System.Text;

namespace DataBuild.Refs;

/// <summary>
/// Ranges and sets in requested refs (docs/concepts.md#ranges-and-sets), expanded by DataBuild so they work where
/// no shell expands them (<c>-p:Partitions</c>, the API): <c>{2020-01-25..2020-02-05}</c> (ISO dates, across
/// months and years), <c>{1..31}</c> and <c>{01..31}</c> (whole numbers, zero padding kept), <c>{comedy,news}</c>
/// (sets). Several groups in one template give the cross product, the leftmost group varying slowest. A group is
/// <c>{</c>…<c>}</c> with <c>..</c> or <c>,</c> inside, which no valid ref contains; any other text, <c>{name}</c>
/// included, is literal.
/// </summary>
public static class RefExpansion
{
    /// <summary>The most refs one request may expand to.</summary>
    public const int MaxRefs = 1_000_000;

    /// <summary>True when <paramref name="text"/> holds a range or set group (or a malformed one) to expand.</summary>
    public static bool HasGroups(string text) => FirstGroup(text) >= 0;

    /// <summary>
    /// The refs <paramref name="template"/> stands for, in order; a template without groups is itself. Throws
    /// <see cref="InvalidRefTemplateException"/> for a malformed group or an expansion past <see cref="MaxRefs"/>,
    /// and <see cref="InvalidPartitionRefException"/> when a ref it expands to breaks the ref grammar.
    /// </summary>
    public static IReadOnlyList<string> Expand(string template) => RefTemplate.Parse(template).Expand().Select(e => e.Ref).ToArray();

    /// <summary>
    /// Every ref of <paramref name="templates"/>, in order, each once; at most <see cref="MaxRefs"/> in all.
    /// Nothing is returned unless every template is well formed.
    /// </summary>
    public static IReadOnlyList<string> ExpandAll(IEnumerable<string> templates)
    {
        var parsed = templates.Select(RefTemplate.Parse).ToArray();
        var total = parsed.Aggregate(0L, (sum, t) => sum + t.Count);
        if (total > MaxRefs)
            throw new InvalidRefTemplateException(string.Join(" ", parsed.Select(p => p.Text)),
                $"the refs expand to {total:N0} partitions, over the limit of {MaxRefs:N0} for one request");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var refs = new List<string>();
        foreach (var template in parsed)
            foreach (var expanded in template.Expand())
                if (seen.Add(expanded.Ref)) refs.Add(expanded.Ref);
        return refs;
    }

    /// <summary>Why <paramref name="template"/> cannot be expanded into valid refs, or null when it can.</summary>
    public static string? Problem(string template)
    {
        try
        {
            _ = RefTemplate.Parse(template).Expand().Count();
            return null;
        }
        catch (InvalidRefTemplateException e)
        {
            return e.Problem;
        }
        catch (InvalidPartitionRefException e)
        {
            // A template without ranges or sets is the ref itself: "it expands to" would only repeat it.
            return e.Value == template ? e.Problem : $"it expands to '{InvalidPartitionRefException.Printable(e.Value)}': {e.Problem}";
        }
    }

    /// <summary>The position of the first '{' that opens a range or set (well formed or not), or -1.</summary>
    internal static int FirstGroup(string text)
    {
        for (var i = text.IndexOf('{'); i >= 0; i = text.IndexOf('{', i + 1))
        {
            var close = text.IndexOf('}', i + 1);
            var inner = close < 0 ? text[(i + 1)..] : text[(i + 1)..close];
            if (inner.Contains("..", StringComparison.Ordinal) || inner.Contains(',')) return i;
        }
        return -1;
    }
}

/// <summary>One expanded ref and, for ordering a backfill, the position of each of its range values in their range.</summary>
public sealed record ExpandedRef(string Ref, IReadOnlyList<int> RangePositions);

/// <summary>A parsed template: literal text and groups, each group a list of values.</summary>
public sealed class RefTemplate
{
    private readonly IReadOnlyList<Part> _parts;

    private sealed record Part(string? Literal, IReadOnlyList<string>? Values, bool IsRange);

    private RefTemplate(string text, IReadOnlyList<Part> parts, long count)
    {
        Text = text;
        _parts = parts;
        Count = count;
    }

    public string Text { get; }

    /// <summary>How many refs the template expands to.</summary>
    public long Count { get; }

    /// <summary>Parses <paramref name="text"/>; throws <see cref="InvalidRefTemplateException"/> naming what is wrong and where.</summary>
    public static RefTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = new List<Part>();
        var literal = new StringBuilder();
        var count = 1L;
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('{', i);
            if (open < 0 || RefExpansion.FirstGroup(text[open..]) != 0)
            {
                var end = open < 0 ? text.Length : open + 1;
                literal.Append(text, i, end - i);
                i = end;
                continue;
            }
            literal.Append(text, i, open - i);
            var close = text.IndexOf('}', open + 1);
            if (close < 0) throw new InvalidRefTemplateException(text, $"'{{' at position {open} is never closed");
            var inner = text[(open + 1)..close];
            if (inner.Contains('{')) throw new InvalidRefTemplateException(text, $"the group at position {open} holds another '{{': groups do not nest");
            if (literal.Length > 0) parts.Add(new Part(literal.ToString(), null, false));
            literal.Clear();
            var (values, isRange) = Group(text, open, inner);
            parts.Add(new Part(null, values, isRange));
            count *= values.Count;
            if (count > RefExpansion.MaxRefs)
                throw new InvalidRefTemplateException(text, $"it expands to more than {RefExpansion.MaxRefs:N0} partitions, the limit for one request");
            i = close + 1;
        }
        if (literal.Length > 0) parts.Add(new Part(literal.ToString(), null, false));
        return new RefTemplate(text, parts, count);
    }

    /// <summary>Every ref, the leftmost group varying slowest; each checked against the ref grammar as it is made.</summary>
    public IEnumerable<ExpandedRef> Expand()
    {
        var groups = _parts.Where(p => p.Values is not null).ToArray();
        var positions = new int[groups.Length];
        var builder = new StringBuilder();
        for (var n = 0L; n < Count; n++)
        {
            builder.Clear();
            var g = 0;
            foreach (var part in _parts)
                builder.Append(part.Literal ?? part.Values![positions[g++]]);
            var value = PartitionRefs.Validate(builder.ToString());
            var ranges = new List<int>();
            for (var k = 0; k < groups.Length; k++)
                if (groups[k].IsRange) ranges.Add(positions[k]);
            yield return new ExpandedRef(value, ranges);
            for (var k = groups.Length - 1; k >= 0; k--)
            {
                if (++positions[k] < groups[k].Values!.Count) break;
                positions[k] = 0;
            }
        }
    }

    private static (IReadOnlyList<string> Values, bool IsRange) Group(string text, int position, string inner)
    {
        var where = $"the group '{{{inner}}}' at position {position}";
        var isSet = inner.Contains(',');
        var isRange = inner.Contains("..", StringComparison.Ordinal);
        if (isSet && isRange) throw new InvalidRefTemplateException(text, $"{where} mixes ',' and '..': a group is either a set {{a,b,c}} or a range {{start..end}}");
        if (isSet)
        {
            var items = inner.Split(',');
            if (items.Any(item => item.Length == 0)) throw new InvalidRefTemplateException(text, $"{where} has an empty item");
            if (items.GroupBy(item => item, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
                throw new InvalidRefTemplateException(text, $"{where} names '{twice.Key}' twice");
            return (items, false);
        }
        var bounds = inner.Split("..");
        if (bounds.Length != 2 || bounds[0].Length == 0 || bounds[1].Length == 0)
            throw new InvalidRefTemplateException(text, $"{where}: a range is {{start..end}}, two ISO dates (2020-01-31) or two whole numbers (1, 01)");
        return (DateRange(text, where, bounds[0], bounds[1]) ?? NumberRange(text, where, bounds[0], bounds[1]), true);
    }

    private static IReadOnlyList<string>? DateRange(string text, string where, string from, string to)
    {
        if (!LooksLikeDate(from) && !LooksLikeDate(to)) return null;
        var start = Date(text, where, from);
        var end = Date(text, where, to);
        if (end < start) throw new InvalidRefTemplateException(text, $"{where} ends at {to}, before it starts: write the earlier date first");
        var days = end.DayNumber - start.DayNumber + 1L;
        if (days > RefExpansion.MaxRefs) throw new InvalidRefTemplateException(text, $"{where} spans {days:N0} days, over the limit of {RefExpansion.MaxRefs:N0}");
        return Enumerable.Range(0, (int)days).Select(d => start.AddDays(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
    }

    private static bool LooksLikeDate(string value) => value.Length == 10 && value[4] == '-' && value[7] == '-';

    private static DateOnly Date(string text, string where, string value) =>
        DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new InvalidRefTemplateException(text, $"{where}: '{value}' is not a date of the calendar (dates are yyyy-MM-dd, e.g. 2020-02-29)");

    private static IReadOnlyList<string> NumberRange(string text, string where, string from, string to)
    {
        var start = Number(text, where, from);
        var end = Number(text, where, to);
        if (end < start) throw new InvalidRefTemplateException(text, $"{where} ends at {to}, below where it starts: write the smaller number first");
        var count = end - start + 1;
        if (count > RefExpansion.MaxRefs) throw new InvalidRefTemplateException(text, $"{where} has {count:N0} values, over the limit of {RefExpansion.MaxRefs:N0}");
        // As bash does: a bound written with a leading zero pads every value to the wider bound.
        var padded = (from.Length > 1 && from[0] == '0') || (to.Length > 1 && to[0] == '0');
        var width = padded ? Math.Max(from.Length, to.Length) : 0;
        return Enumerable.Range(0, (int)count)
            .Select(k => (start + k).ToString(CultureInfo.InvariantCulture).PadLeft(width, '0'))
            .ToArray();
    }

    private static long Number(string text, string where, string value) =>
        value.Length <= 18 && value.All(char.IsAsciiDigit)
            ? long.Parse(value, CultureInfo.InvariantCulture)
            : throw new InvalidRefTemplateException(text, $"{where}: '{value}' is neither a whole number (0 or more, at most 18 digits) nor an ISO date (yyyy-MM-dd)");
}

/// <summary>A range or set in a requested ref is malformed, or expands too far; the message names the template and why.</summary>
public sealed class InvalidRefTemplateException(string template, string problem)
    : FormatException($"invalid range or set in '{InvalidPartitionRefException.Printable(template)}': {problem}")
{
    public string Template { get; } = template;
    public string Problem { get; } = problem;
}
