namespace DataBuild.Graphs;

/// <summary>JSON paths (<c>$.jobs[0].outputs[1]</c>) that name where in a manifest a problem is.</summary>
internal static class JsonPaths
{
    public const string Root = "$";

    public static string Job(int index) => $"$.jobs[{index}]";

    public static string Upstream(int index) => $"$.upstreams[{index}]";

    public static string Property(string parent, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? $"{parent}.{name}"
            : $"{parent}['{name.Replace("\\", "\\\\").Replace("'", "\\'")}']";

    public static string Element(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The index of the job <paramref name="path"/> is in, or null when it is outside <c>$.jobs[…]</c>.</summary>
    public static int? JobIndex(string path) => IndexIn(path, "$.jobs[");

    /// <summary>The index of the upstream <paramref name="path"/> is in, or null when it is outside <c>$.upstreams[…]</c>.</summary>
    public static int? UpstreamIndex(string path) => IndexIn(path, "$.upstreams[");

    private static int? IndexIn(string path, string prefix)
    {
        if (!path.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var close = path.IndexOf(']', prefix.Length);
        return close > 0 && int.TryParse(path.AsSpan(prefix.Length, close - prefix.Length), out var index) ? index : null;
    }

    /// <summary>True when one path is the other or lies inside it.</summary>
    public static bool Overlap(string a, string b) => Contains(a, b) || Contains(b, a);

    /// <summary>The enclosing path, or null for the root.</summary>
    public static string? Parent(string path)
    {
        if (path == Root) return null;
        var cut = path.EndsWith(']') ? path.LastIndexOf('[') : path.LastIndexOf('.');
        return cut > 0 ? path[..cut] : Root;
    }

    private static bool Contains(string outer, string inner) =>
        inner.StartsWith(outer, StringComparison.Ordinal)
        && (inner.Length == outer.Length || inner[outer.Length] is '.' or '[');
}
