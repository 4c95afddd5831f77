using System.Text.RegularExpressions;

namespace DataBuild.Wants;

/// <summary>
/// Durations as people type them: whole numbers with a unit, <c>45s</c>, <c>30m</c>, <c>6h</c>, <c>7d</c>, or
/// several together such as <c>1h30m</c>. Whole seconds only, because want events store seconds.
/// </summary>
public static partial class Durations
{
    /// <summary>About a century: anything longer is a typo.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromDays(36_500);

    private static readonly (char Unit, long Seconds)[] Units = [('d', 86_400), ('h', 3_600), ('m', 60), ('s', 1)];

    [GeneratedRegex(@"^(?:[0-9]{1,9}[smhd])+$")]
    private static partial Regex Shape();

    [GeneratedRegex("([0-9]+)([smhd])")]
    private static partial Regex Part();

    /// <summary>Parses <paramref name="text"/>; <paramref name="what"/> names it in the error, e.g. <c>--ttl</c>.</summary>
    public static TimeSpan Parse(string text, string what)
    {
        if (!Shape().IsMatch(text ?? ""))
            throw new FormatException($"{what} '{text}' is not a duration: write whole numbers with a unit (s, m, h or d), e.g. 45s, 30m, 6h, 7d or 1h30m");
        var seconds = 0L;
        foreach (Match part in Part().Matches(text!))
        {
            seconds += long.Parse(part.Groups[1].Value) * Units.Single(u => u.Unit == part.Groups[2].Value[0]).Seconds;
            // Checked part by part: each part is below 10^14 seconds, so the sum cannot overflow before this trips.
            if (seconds > Longest.TotalSeconds) throw new FormatException($"{what} '{text}' is longer than {Format(Longest)}");
        }
        if (seconds == 0) throw new FormatException($"{what} '{text}' must be longer than zero");
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>The shortest way to write <paramref name="duration"/>, to the nearest second, that <see cref="Parse"/> reads back, e.g. <c>1d6h</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        var left = (long)Math.Round(duration.TotalSeconds);
        if (left <= 0) return "0s";
        var text = "";
        foreach (var (unit, seconds) in Units)
        {
            if (left < seconds) continue;
            text += $"{left / seconds}{unit}";
            left %= seconds;
        }
        return text;
    }
}
