namespace DataBuild.Tasks;

/// <summary>
/// How refs are given to the DataBuild targets. Refs never contain whitespace (docs/concepts.md#partition-refs), so whitespace
/// separates them; ';' does too, since it is MSBuild's list separator and `-p:Partitions="a;b"` is natural.
/// </summary>
internal static class PartitionList
{
    private static readonly char[] Separators = [' ', '\t', '\r', '\n', ';'];

    public static IReadOnlyList<string> Parse(string text) =>
        text.Split(Separators, StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>A refs file: refs separated by whitespace, one or many per line; a line starting with '#' is a comment.</summary>
    public static IReadOnlyList<string> ParseFile(string text) =>
        Parse(string.Join('\n', text.Split('\n').Where(line => !line.TrimStart().StartsWith('#'))));
}
