namespace DataBuild.Graphs;

/// <summary>
/// One thing wrong with a graph manifest. <see cref="File"/> is null for a manifest built in code;
/// <see cref="Job"/> is the job's label as written (null for the graph itself, or for a job without a label,
/// which <see cref="JsonPath"/> still points at); <see cref="Line"/> and <see cref="Column"/> (1-based) are
/// known for manifests read from a file.
/// </summary>
public sealed record GraphManifestProblem(string? File, string? Job, string JsonPath, int? Line, int? Column, string Message)
{
    public override string ToString()
    {
        var where = File ?? "(built in code)";
        if (Line is { } line) where += $":{line}:{Column}";
        var what = Job is not null ? $"job '{Job}' ({JsonPath})"
            : JsonPaths.JobIndex(JsonPath) is not null ? $"unlabelled job ({JsonPath})"
            : JsonPath;
        return $"{where}: {what}: {Message}";
    }
}
