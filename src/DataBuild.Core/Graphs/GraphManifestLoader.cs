namespace DataBuild.Graphs;

/// <summary>
/// File to <see cref="GraphManifest"/>: read the shape, check the rules, and report both together. A rule
/// about a value that could not be read is not reported, since it would only repeat the first problem.
/// </summary>
internal static class GraphManifestLoader
{
    public static GraphManifest Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var isFolder = Directory.Exists(path);
        var file = Path.GetFullPath(isFolder ? Path.Combine(path, GraphManifest.FileName) : path);
        if (!File.Exists(file))
        {
            var message = isFolder ? $"the folder has no {GraphManifest.FileName}" : "the file does not exist";
            throw new GraphManifestException(file, [new GraphManifestProblem(file, null, JsonPaths.Root, null, null, message) { Kind = GraphManifestProblemKind.Syntax }]);
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new GraphManifestException(file, [new GraphManifestProblem(file, null, JsonPaths.Root, null, null,
                $"the file cannot be read: {e.Message}") { Kind = GraphManifestProblemKind.Syntax }]);
        }
        var parsed = GraphManifestReader.Read(bytes);
        var issues = parsed.Issues.ToList();
        if (parsed.IsJson)
        {
            var folder = Path.GetDirectoryName(file)!;
            var rules = GraphManifestValidator.Check(parsed.Label, parsed.Jobs, parsed.OutputPositions, parsed.Upstreams)
                .Concat(GraphManifestValidator.CheckCommandFiles(folder, parsed.Jobs));
            issues.AddRange(rules.Where(rule => !parsed.UnusablePaths.Any(unusable => JsonPaths.Overlap(unusable, rule.Path))));
        }
        if (issues.Count > 0)
        {
            var problems = issues
                .Select(issue => Problem(issue, file, parsed.Jobs, parsed.Locations))
                .OrderBy(p => p.Line ?? 0).ThenBy(p => p.Column ?? 0)
                .ToArray();
            throw new GraphManifestException(file, problems);
        }
        var manifest = new GraphManifest(parsed.Label, parsed.Jobs, Path.GetDirectoryName(file), parsed.WorkingDirectory, parsed.Environment, parsed.Upstreams);
        if (!Directory.Exists(manifest.WorkingDirectory))
            throw new GraphManifestException(file, [new GraphManifestProblem(file, null, JsonPaths.Property(JsonPaths.Root, "workingDirectory"), null, null,
                $"workingDirectory '{parsed.WorkingDirectory}' is not a folder (resolved to {manifest.WorkingDirectory})") { Kind = GraphManifestProblemKind.InvalidWorkingDirectory }]);
        return manifest;
    }

    /// <summary>Dresses <paramref name="issue"/> with its file, its job's label (when it has one) and its line.</summary>
    public static GraphManifestProblem Problem(ManifestIssue issue, string? file, IReadOnlyList<JobDefinition> jobs, JsonLocations? locations)
    {
        var at = issue.At ?? locations?.Find(issue.Path);
        var job = JsonPaths.JobIndex(issue.Path) is { } index && index < jobs.Count && jobs[index].Label.Length > 0
            ? jobs[index].Label
            : null;
        return new GraphManifestProblem(file, job, issue.Path, at?.Line, at?.Column, issue.Message)
        {
            Kind = issue.Kind,
            Value = issue.Value,
            ConflictingJobIndex = issue.ConflictingJob,
            ConflictingValue = issue.ConflictingValue,
        };
    }
}
