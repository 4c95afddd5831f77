namespace DataBuild.Graphs;

/// <summary>
/// Finds a bare program name (no '/') on PATH, as a shell would. .NET's own lookup tries the caller's
/// folder and current directory first, so a stray file named like the program there would win.
/// </summary>
public static class ExecutableSearch
{
    /// <summary>The program to start: a path as given, or a bare name resolved on PATH; null when a bare name is not found.</summary>
    public static string? Resolve(string program) => Resolve(program, Environment.GetEnvironmentVariable("PATH") ?? "");

    internal static string? Resolve(string program, string searchPath)
    {
        if (program.Contains('/')) return program;
        foreach (var folder in searchPath.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, program);
            if (File.Exists(candidate) && IsExecutable(candidate)) return candidate;
        }
        return null;
    }

    internal static bool IsExecutable(string path) =>
        OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
}
