namespace DataBuild.Graphs;

/// <summary>
/// The rule for graph and job labels: ASCII letters, digits and <c>_ - . : /</c>. Labels end up in file
/// names, environment variables and MSBuild item specs, so anything that needs quoting is kept out;
/// <c>:</c> and <c>/</c> stay allowed for Bazel-style labels such as <c>//jobs:extract</c>.
/// </summary>
public static class GraphLabels
{
    public static string? Problem(string label)
    {
        if (label.Length == 0) return "a label must not be empty";
        foreach (var c in label)
        {
            if (!IsAllowed(c))
                return $"label '{label}' contains '{c}'; a label may only contain letters, digits, '_', '-', '.', ':' and '/'";
        }
        return null;
    }

    private static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or ':' or '/';
}
