using System.Text;
using DataBuild.Refs;

namespace DataBuild.Storage.Postgres;

/// <summary>
/// A <see cref="PartitionPattern"/> as a PostgreSQL regular expression, so the server filters refs by glob
/// with the same matches as <see cref="PartitionPattern.IsMatch"/>.
/// </summary>
internal static class PostgresGlob
{
    public static string ToRegex(PartitionPattern pattern)
    {
        var text = pattern.Text;
        var regex = new StringBuilder("^");
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '{')
            {
                regex.Append("[^/]+");
                i = text.IndexOf('}', i);
            }
            else if (c == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else
            {
                // A backslash makes any ASCII punctuation literal; before a letter or digit, and so before a
                // non-ASCII letter, it would start an escape such as \d instead.
                if (char.IsAscii(c) && !char.IsAsciiLetterOrDigit(c)) regex.Append('\\');
                regex.Append(c);
            }
        }
        // Outside newline-sensitive mode, PostgreSQL's '$' is only the end of the string and '.' matches a
        // newline too, as .NET's \z and Singleline do for the pattern's own regex.
        return regex.Append('$').ToString();
    }
}
