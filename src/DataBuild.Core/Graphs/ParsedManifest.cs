namespace DataBuild.Graphs;

/// <summary>
/// What <see cref="GraphManifestReader"/> made of a file. <see cref="Jobs"/> has one entry per element of
/// the JSON <c>jobs</c> array, a broken one included, so job indexes are JSON indexes. Invalid patterns are
/// left out of a job's outputs; <see cref="OutputPositions"/> gives each kept pattern's JSON index.
/// <see cref="UnusablePaths"/> are the values that could not be read (wrong type, bad pattern).
/// </summary>
internal sealed record ParsedManifest(
    string Label,
    IReadOnlyList<JobDefinition> Jobs,
    IReadOnlyList<IReadOnlyList<int>> OutputPositions,
    IReadOnlyList<ManifestIssue> Issues,
    IReadOnlyList<string> UnusablePaths,
    JsonLocations? Locations)
{
    public bool IsJson => Locations is not null;

    /// <summary>The <c>workingDirectory</c> field as written, when there is one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The <c>environment</c> field: variables for every job.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The <c>upstreams</c>, each as far as it could be read (invalid patterns left out).</summary>
    public IReadOnlyList<UpstreamGraph> Upstreams { get; init; } = [];
}
