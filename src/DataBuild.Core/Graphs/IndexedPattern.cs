namespace DataBuild.Graphs;

/// <summary>
/// A pattern as the lookup index holds it. Every match contains each literal run of the pattern, so a ref
/// lacking the longest run cannot match: a quick substring test saves the regex for patterns whose literal
/// prefix says little, such as <c>{table}/date={date}</c>. Like the prefix, it never rejects a real match.
/// </summary>
internal sealed class IndexedPattern
{
    public IndexedPattern(JobPattern entry)
    {
        Entry = entry;
        var run = LongestLiteralRun(entry.Pattern.Text);
        RequiredLiteral = run.Length > entry.Pattern.LiteralPrefix.Length ? run : null;
    }

    public JobPattern Entry { get; }

    /// <summary>The longest literal run, when it is longer than the prefix the index already checked.</summary>
    public string? RequiredLiteral { get; }

    public bool IsMatch(string partitionRef) =>
        (RequiredLiteral is null || partitionRef.Contains(RequiredLiteral, StringComparison.Ordinal)) && Entry.Pattern.IsMatch(partitionRef);

    private static string LongestLiteralRun(string pattern)
    {
        var longest = "";
        var start = 0;
        for (var i = 0; i <= pattern.Length; i++)
        {
            if (i < pattern.Length && pattern[i] is not ('{' or '*')) continue;
            if (i - start > longest.Length) longest = pattern[start..i];
            if (i < pattern.Length && pattern[i] == '{') i = pattern.IndexOf('}', i);
            start = i + 1;
        }
        return longest;
    }
}
