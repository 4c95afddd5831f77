namespace DataBuild.Graphs;

/// <summary>The fields graph.json allows, and help for the misspelt ones.</summary>
internal static class ManifestFields
{
    public static readonly IReadOnlyList<string> Graph = ["label", "workingDirectory", "jobs", "upstreams"];

    public static readonly IReadOnlyList<string> Upstream = ["url", "patterns", "tokenFile"];

    public static readonly IReadOnlyList<string> Job = ["label", "command", "outputs", "retries", "timeoutSeconds", "configureTimeoutSeconds", "maxConcurrency", "version"];

    public static string Unknown(string name, IReadOnlyList<string> known, string owner) =>
        Closest(name, known) is { } guess
            ? $"unknown field '{name}'; did you mean '{guess}'?"
            : $"unknown field '{name}'; {owner} has only {string.Join(", ", known)}";

    // A typo is a small edit ("lable"), a change of case ("Label") or a cut-off name ("output", "timeout").
    private static string? Closest(string name, IReadOnlyList<string> known)
    {
        var lower = name.ToLowerInvariant();
        return known.FirstOrDefault(k => EditDistance(lower, k.ToLowerInvariant()) <= 2)
            ?? known.FirstOrDefault(k => lower.Length >= 3 && (k.StartsWith(lower, StringComparison.OrdinalIgnoreCase) || lower.StartsWith(k, StringComparison.OrdinalIgnoreCase)));
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
