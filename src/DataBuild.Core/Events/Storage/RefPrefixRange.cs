using System.Text;

namespace DataBuild.Events.Storage;

/// <summary>
/// The range of refs that start with a literal prefix, for seeking an index on refs. Both database
/// backends compare refs by code point (SQLite's binary collation, PostgreSQL's <c>"C"</c>), so the range
/// is the same for both.
/// </summary>
public static class RefPrefixRange
{
    private const int MaxCodePoint = 0x10FFFF;

    /// <summary>
    /// The smallest string above every string that starts with <paramref name="prefix"/>, in code point
    /// order; null when there is none.
    /// </summary>
    public static string? UpperBound(string prefix)
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
