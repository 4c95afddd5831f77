namespace DataBuild.Graphs;

/// <summary>The fields graph.json allows, and help for the misspelt ones.</summary>
internal static class ManifestFields
{
    public static readonly IReadOnlyList<string> Graph = ["label", "workingDirectory", "environment", "jobs", "upstreams"];

    public static readonly IReadOnlyList<string> Upstream = ["url", "patterns", "tokenFile"];

    public static readonly IReadOnlyList<string> Job = ["label", "command", "outputs", "retries", "timeoutSeconds", "configureTimeoutSeconds", "maxConcurrency", "version",
        "executor", "locations", "existsVerb", "codeKey"];

    public static readonly IReadOnlyList<string> Executor = ["kind", "partition", "cpus", "memory", "timeLimit"];

    public static string Unknown(string name, IReadOnlyList<string> known, string owner) =>
        ClosestName.Of(name, known) is { } guess
            ? $"unknown field '{name}'; did you mean '{guess}'?"
            : $"unknown field '{name}'; {owner} has only {string.Join(", ", known)}";
}
