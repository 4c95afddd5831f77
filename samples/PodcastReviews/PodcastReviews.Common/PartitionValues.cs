using System.Globalization;
using System.Text.RegularExpressions;

namespace PodcastReviews;

/// <summary>
/// Checks the values inside refs. Only one spelling of each value is accepted, so two refs can never name
/// the same data (2020-1-1 and 2020-01-01 would otherwise be two partitions of one day).
/// </summary>
public static partial class PartitionValues
{
    public const string DateFormat = "yyyy-MM-dd";

    /// <exception cref="FormatException"><paramref name="text"/> is not a date written yyyy-MM-dd.</exception>
    public static string Date(string text) =>
        DateOnly.TryParseExact(text, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
            ? text
            : throw new FormatException($"'{text}' is not a date written {DateFormat}");

    /// <exception cref="FormatException"><paramref name="text"/> is not a category slug such as true-crime.</exception>
    public static string Category(string text) =>
        CategorySlug().IsMatch(text)
            ? text
            : throw new FormatException($"'{text}' is not a category: lower-case letters and digits, words joined by '-' (e.g. true-crime)");

    /// <summary>The day after <paramref name="date"/>, written yyyy-MM-dd.</summary>
    public static string NextDate(string date) =>
        DateOnly.ParseExact(Date(date), DateFormat, CultureInfo.InvariantCulture).AddDays(1).ToString(DateFormat, CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex CategorySlug();
}
