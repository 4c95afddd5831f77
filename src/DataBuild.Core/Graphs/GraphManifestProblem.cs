namespace DataBuild.Graphs;

/// <summary>
/// One thing wrong with a graph manifest. <see cref="File"/> is null for a manifest built in code;
/// <see cref="Job"/> is the job's label as written (null for the graph itself, or for a job without a label,
/// which <see cref="JsonPath"/> and <see cref="JobIndex"/> still point at); <see cref="Line"/> and
/// <see cref="Column"/> (1-based) are known for manifests read from a file.
/// </summary>
public sealed record GraphManifestProblem(string? File, string? Job, string JsonPath, int? Line, int? Column, string Message)
{
    /// <summary>Which rule is broken.</summary>
    public GraphManifestProblemKind Kind { get; init; }

    /// <summary>The index of the job in the manifest's job list, or null when the problem is about the graph.</summary>
    public int? JobIndex => JsonPaths.JobIndex(JsonPath);

    /// <summary>The index of the upstream in the manifest's upstreams, or null when the problem is not about one.</summary>
    public int? UpstreamIndex => JsonPaths.UpstreamIndex(JsonPath);

    /// <summary>What is wrong as written: the pattern, the label or the program, when the problem is about one.</summary>
    public string? Value { get; init; }

    /// <summary>For <see cref="GraphManifestProblemKind.DuplicateLabel"/> and <see cref="GraphManifestProblemKind.SamePatterns"/>: the job declared first.</summary>
    public int? ConflictingJobIndex { get; init; }

    /// <summary>For <see cref="GraphManifestProblemKind.SamePatterns"/>: the pattern declared first.</summary>
    public string? ConflictingValue { get; init; }

    public override string ToString()
    {
        var where = File ?? "(built in code)";
        if (Line is { } line) where += $":{line}:{Column}";
        var what = Job is not null ? $"job '{Job}' ({JsonPath})"
            : JobIndex is not null ? $"unlabelled job ({JsonPath})"
            : JsonPath;
        return $"{where}: {what}: {Message}";
    }
}
