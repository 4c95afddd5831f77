namespace DataBuild.Graphs;

/// <summary>
/// A problem found at a JSON path, before it is dressed with its file and job. <paramref name="At"/> is
/// set by the JSON reader, which knows where it stands; other issues take the location of their path.
/// <see cref="Value"/> is what is wrong as written (the pattern, the label, the program); for a collision,
/// <see cref="ConflictingJob"/> and <see cref="ConflictingValue"/> are the first declaration it collides with.
/// </summary>
internal readonly record struct ManifestIssue(GraphManifestProblemKind Kind, string Path, string Message, TextLocation? At = null)
{
    public string? Value { get; init; }

    public int? ConflictingJob { get; init; }

    public string? ConflictingValue { get; init; }
}

/// <summary>A 1-based line and column in a manifest file.</summary>
internal readonly record struct TextLocation(int Line, int Column);
