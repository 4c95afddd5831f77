namespace DataBuild.Graphs;

/// <summary>
/// A problem found at a JSON path, before it is dressed with its file and job. <paramref name="At"/> is
/// set by the JSON reader, which knows where it stands; other issues take the location of their path.
/// </summary>
internal readonly record struct ManifestIssue(string Path, string Message, TextLocation? At = null);

/// <summary>A 1-based line and column in a manifest file.</summary>
internal readonly record struct TextLocation(int Line, int Column);
