using System.Globalization;

namespace DataBuild;

/// <summary>Long lists in messages: the first few items, then how many more, so a message stays one readable line.</summary>
public static class ListText
{
    /// <summary>
    /// The first <paramref name="shown"/> items joined by <paramref name="separator"/>, then the count of the rest
    /// written as <paramref name="more"/> (a format with <c>{0}</c> for the count): "a, b, c and 7 more".
    /// </summary>
    public static string FirstAndMore(IReadOnlyCollection<string> items, int shown, string separator = ", ", string more = " and {0} more") =>
        items.Count <= shown
            ? string.Join(separator, items)
            : string.Join(separator, items.Take(shown)) + string.Format(CultureInfo.InvariantCulture, more, items.Count - shown);
}
