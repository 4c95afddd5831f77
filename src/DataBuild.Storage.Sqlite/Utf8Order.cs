using System.Text;

namespace DataBuild.Storage.Sqlite;

/// <summary>
/// Orders strings as SQLite's BINARY collation orders the text it stores: bytewise over their UTF-8
/// encoding (which differs from <see cref="string.CompareOrdinal(string, string)"/> once surrogate pairs
/// meet characters from U+E000 up).
/// </summary>
internal static class Utf8Order
{
    public static int Compare(string left, string right)
    {
        // ASCII is the same in UTF-16 code units and UTF-8 bytes, so the ordinal order is the byte order.
        if (Ascii.IsValid(left) && Ascii.IsValid(right)) return Math.Sign(string.CompareOrdinal(left, right));
        return Math.Sign(Encoding.UTF8.GetBytes(left).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(right)));
    }
}
