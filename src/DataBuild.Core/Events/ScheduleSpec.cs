using System.Globalization;
using System.Text.RegularExpressions;
using Cronos;
using DataBuild.Proto;
using DataBuild.Refs;

namespace DataBuild.Events;

/// <summary>
/// A schedule's definition, as its ADDED event holds it (docs/wants.md#schedules): a cron expression (parsed by
/// Cronos) in a time zone, the templates each tick fills, and the offset applied to the tick first. The validator
/// refuses an ADDED event this cannot read; the reconciler asks it for ticks and for each tick's partitions.
/// </summary>
public sealed partial class ScheduleSpec
{
    public const string DatePlaceholder = "{scheduled_date}";
    public const string TimePlaceholder = "{scheduled_time}";

    private ScheduleSpec(CronExpression cron, TimeZoneInfo zone, IReadOnlyList<string> templates, TimeSpan offset)
    {
        Cron = cron;
        Zone = zone;
        Templates = templates;
        Offset = offset;
    }

    public CronExpression Cron { get; }

    public TimeZoneInfo Zone { get; }

    public IReadOnlyList<string> Templates { get; }

    public TimeSpan Offset { get; }

    /// <summary>Reads the definition of <paramref name="added"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static ScheduleSpec Parse(ScheduleEvent added)
    {
        if (NameProblem(added.Name) is { } name) throw new FormatException(name);
        var cron = ParseCron(added.Cron);
        var zone = ParseZone(added.Timezone);
        if (added.Partitions.Count == 0) throw new FormatException("a schedule names at least one partition template (--partitions)");
        var spec = new ScheduleSpec(cron, zone, added.Partitions.ToArray(), TimeSpan.FromSeconds(added.OffsetSeconds));
        if (added.TtlSeconds < 0 || added.SlaSeconds < 0) throw new FormatException("ttl and sla must not be negative");
        if (added.StartTime < 0) throw new FormatException("the start time must not be before 1970");
        // Filled for a sample tick, so a template that could never make valid refs is refused when added.
        var sample = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var template in spec.Templates)
        {
            if (Placeholder().Matches(template).Select(m => m.Value).FirstOrDefault(p => p is not (DatePlaceholder or TimePlaceholder)) is { } unknown)
                throw new FormatException($"the template '{template}' has the placeholder {unknown}; a schedule fills {DatePlaceholder} and {TimePlaceholder}");
            if (RefExpansion.Problem(spec.Fill(template, sample)) is { } problem)
                throw new FormatException($"the template '{template}' does not make valid refs: {problem}");
        }
        return spec;
    }

    /// <summary>Why <paramref name="name"/> cannot name a schedule, or null.</summary>
    public static string? NameProblem(string name) =>
        name.Length is 0 or > 100 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || !char.IsAsciiLetterOrDigit(name[0])
            ? $"'{InvalidPartitionRefException.Printable(name)}' is not a schedule name: 1 to 100 letters, digits, '-', '_' or '.', starting with a letter or digit"
            : null;

    /// <summary>Five fields (minute hour day-of-month month day-of-week), or six with seconds first.</summary>
    public static CronExpression ParseCron(string text)
    {
        var fields = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            return CronExpression.Parse(text.Trim(), fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            throw new FormatException($"'{text}' is not a cron expression ({e.Message.TrimEnd('.')}): five fields, minute hour day month weekday, e.g. \"0 6 * * *\"", e);
        }
    }

    /// <summary>An IANA time zone (Europe/Berlin); UTC when empty.</summary>
    public static TimeZoneInfo ParseZone(string id)
    {
        if (id.Length == 0) return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FormatException($"'{id}' is not a time zone this machine knows: give an IANA name such as Europe/Berlin or America/New_York", e);
        }
    }

    /// <summary>The ticks after <paramref name="after"/> up to and including <paramref name="upTo"/>, oldest first.</summary>
    public IEnumerable<DateTimeOffset> Ticks(DateTimeOffset after, DateTimeOffset upTo) =>
        after >= upTo ? [] : Cron.GetOccurrences(after, upTo, Zone, fromInclusive: false, toInclusive: true);

    /// <summary>The first tick after <paramref name="after"/>, or null when the expression has none.</summary>
    public DateTimeOffset? NextTick(DateTimeOffset after) => Cron.GetNextOccurrence(after, Zone);

    /// <summary>Every partition the tick's want names: each template filled with the tick after the offset, then expanded.</summary>
    public IReadOnlyList<string> PartitionsFor(DateTimeOffset tick) => RefExpansion.ExpandAll(Templates.Select(t => Fill(t, tick)));

    /// <summary><paramref name="template"/> with {scheduled_date} (yyyy-MM-dd) and {scheduled_time} (ISO 8601) of the tick plus the offset, in the schedule's zone.</summary>
    public string Fill(string template, DateTimeOffset tick)
    {
        var local = TimeZoneInfo.ConvertTime(tick + Offset, Zone);
        return template
            .Replace(DatePlaceholder, local.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace(TimePlaceholder, local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\{[A-Za-z_][A-Za-z0-9_]*\}")]
    private static partial Regex Placeholder();
}
