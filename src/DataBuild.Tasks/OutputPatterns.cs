namespace DataBuild.Tasks;

/// <summary>How the Outputs metadata lists patterns: separated by ';' (MSBuild's list separator), blanks ignored.</summary>
internal static class OutputPatterns
{
    public static IReadOnlyList<string> Split(string metadata) =>
        metadata.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
