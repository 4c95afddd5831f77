using DataBuild.Refs;

namespace DataBuild.Graphs;

/// <summary>
/// A graph's location templates, each resolved once to what a ref needs (<see cref="OutputLocations.Prepare"/>). A
/// template that is its own pattern under a folder, as <c>data/totals/day={day}</c> is for <c>totals/day={day}</c>,
/// resolves a ref by concatenation: a pattern without <c>*</c> is literal text and captures, so filling the captures
/// of a ref it matches gives back the ref. Any other template fills its captures from a match. Immutable, and safe to
/// share between threads.
/// </summary>
public sealed class PreparedLocations
{
    private readonly GraphManifest _graph;

    // Each output pattern of a job with locations (every job parses its own) → its template and, when the template is
    // the pattern under a folder, that folder: absolute, ending in a separator.
    private readonly Dictionary<PartitionPattern, (string Template, string? Folder)> _byPattern = new(ReferenceEqualityComparer.Instance);

    internal PreparedLocations(GraphManifest graph)
    {
        _graph = graph;
        foreach (var job in graph.Jobs)
        {
            if (job.Locations.Count != job.Outputs.Count) continue;
            for (var k = 0; k < job.Outputs.Count; k++)
                _byPattern[job.Outputs[k]] = (job.Locations[k], FolderOf(graph, job.Locations[k], job.Outputs[k]));
        }
    }

    /// <summary>Whether any job declares locations.</summary>
    public bool Any => _byPattern.Count > 0;

    /// <summary>Where <paramref name="partitionRef"/>, which <paramref name="pattern"/> matches, lands: an absolute path; null when its job declares no locations.</summary>
    public string? Of(PartitionPattern pattern, string partitionRef)
    {
        if (!_byPattern.TryGetValue(pattern, out var prepared)) return null;
        if (prepared.Folder is { } folder)
            return folder + (Path.DirectorySeparatorChar == '/' ? partitionRef : partitionRef.Replace('/', Path.DirectorySeparatorChar));
        return pattern.Match(partitionRef) is { } captures ? OutputLocations.Resolve(_graph, prepared.Template, captures) : null;
    }

    // A valid ref has no empty, '.' or '..' segment, so the folder joined to it is already a full path.
    private static string? FolderOf(GraphManifest graph, string template, PartitionPattern pattern)
    {
        if (pattern.Text.Contains('*') || !template.EndsWith(pattern.Text, StringComparison.Ordinal)) return null;
        var folder = template[..^pattern.Text.Length];
        if (folder.Length > 0 && folder[^1] != '/' && folder[^1] != Path.DirectorySeparatorChar) return null;
        var full = Path.GetFullPath(folder.Length == 0 ? "." : folder, graph.WorkingDirectory);
        return Path.EndsInDirectorySeparator(full) ? full : full + Path.DirectorySeparatorChar;
    }
}
