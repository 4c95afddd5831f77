namespace DataBuild.Graphs;

/// <summary>
/// How <c>command[0]</c> of a job is found. A value with a directory separator or a leading '.' is a path,
/// and a relative one resolves against the manifest's folder, so a published graph folder can move as a
/// whole. A bare name such as <c>bash</c> or <c>python3</c> is left alone for the operating system to find
/// on PATH: resolving it against the folder would break every job that runs an interpreter.
/// </summary>
public static class CommandPaths
{
    /// <summary>True when <paramref name="program"/> names a file (absolute, or relative with a separator or a leading '.'), not a name to find on PATH.</summary>
    public static bool IsPath(string program) =>
        Path.IsPathRooted(program) || program.StartsWith('.') || program.Contains('/') || program.Contains(Path.DirectorySeparatorChar);

    public static bool IsRelativePath(string program) => !Path.IsPathRooted(program) && IsPath(program);

    /// <summary>The file <paramref name="program"/> names, relative ones taken from <paramref name="folder"/>; a bare name as it is.</summary>
    public static string Resolve(string folder, string program) =>
        IsRelativePath(program) ? Path.GetFullPath(Path.Combine(folder, program)) : program;
}
