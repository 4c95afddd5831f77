using System.Text.RegularExpressions;

namespace DataBuild.Refs;

/// <summary>
/// When two patterns match exactly the same refs. Capture names do not change what a pattern matches, so
/// 'a/{x}' and 'a/{y}' are the same pattern; the graph validator and the MSBuild tasks both refuse such pairs.
/// </summary>
public static partial class PatternEquivalence
{
    /// <summary>A key equal for two patterns exactly when they match the same refs.</summary>
    public static string Key(PartitionPattern pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        return CaptureName().Replace(pattern.Text, "{}");
    }

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex CaptureName();
}
