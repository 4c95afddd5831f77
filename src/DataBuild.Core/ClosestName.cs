namespace DataBuild;

/// <summary>The one "did you mean" rule: for a misspelt field of graph.json or metadata of a project item.</summary>
public static class ClosestName
{
    /// <summary>
    /// The name of <paramref name="known"/> that <paramref name="name"/> most likely meant, or null: a small edit
    /// ("lable"), a change of case ("Label"), a cut-off name ("output", "timeout") or another ending of the same
    /// word ("Retry" for "Retries").
    /// </summary>
    public static string? Of(string name, IReadOnlyList<string> known)
    {
        var lower = name.ToLowerInvariant();
        return known.Select(k => (Name: k, Distance: EditDistance(lower, k.ToLowerInvariant()))).Where(k => k.Distance <= 2).OrderBy(k => k.Distance).Select(k => k.Name).FirstOrDefault()
            ?? known.FirstOrDefault(k => lower.Length >= 3 && (k.StartsWith(lower, StringComparison.OrdinalIgnoreCase) || lower.StartsWith(k, StringComparison.OrdinalIgnoreCase)))
            ?? known.FirstOrDefault(k => SharesStem(lower, k.ToLowerInvariant()));
    }

    // "retry" for "retries": a long shared beginning, two thirds of the shorter name at least.
    private static bool SharesStem(string a, string b)
    {
        var common = 0;
        while (common < a.Length && common < b.Length && a[common] == b[common]) common++;
        return common >= 4 && common * 3 >= Math.Min(a.Length, b.Length) * 2;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1], previous[j]) + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
