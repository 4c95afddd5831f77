using DataBuild.Refs;

namespace DataBuild.Graphs;

/// <summary>
/// The rules for a graph's <c>upstreams</c>, beside <see cref="GraphManifestValidator"/>'s for its jobs: an absolute
/// http(s) URL with no path, query or credentials, declared once; at least one pattern, none matching the same refs as a
/// job's output or another upstream's pattern (a ref has one source); a tokenFile that is not empty when given.
/// </summary>
internal static class UpstreamRules
{
    public static IEnumerable<ManifestIssue> Check(IReadOnlyList<JobDefinition> jobs, IReadOnlyList<UpstreamGraph> upstreams)
    {
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < jobs.Count; i++)
            for (var k = 0; k < jobs[i].Outputs.Count; k++)
                declared.TryAdd(PatternEquivalence.Key(jobs[i].Outputs[k]), $"output '{jobs[i].Outputs[k]}' of job '{jobs[i].Label}'");
        var urls = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < upstreams.Count; i++)
        {
            var upstream = upstreams[i];
            var path = JsonPaths.Upstream(i);
            if (UrlProblem(upstream.Url) is { } problem)
                yield return Issue(JsonPaths.Property(path, "url"), problem, upstream.Url);
            else if (!urls.TryAdd(upstream.Url.TrimEnd('/'), i))
                yield return Issue(JsonPaths.Property(path, "url"), $"the upstream {upstream.Url} is already declared at {JsonPaths.Upstream(urls[upstream.Url.TrimEnd('/')])}; list all its patterns there", upstream.Url);
            var patterns = JsonPaths.Property(path, "patterns");
            if (upstream.Patterns.Count == 0)
                yield return Issue(patterns, "the patterns are missing or empty; list the partitions this graph reads from the upstream, e.g. \"reviews/**\"", null);
            for (var k = 0; k < upstream.Patterns.Count; k++)
            {
                var pattern = upstream.Patterns[k];
                if (!declared.TryAdd(PatternEquivalence.Key(pattern), $"pattern '{pattern}' of upstream {upstream.Url}"))
                    yield return Issue(JsonPaths.Element(patterns, k),
                        $"the pattern '{pattern}' matches the same refs as the {declared[PatternEquivalence.Key(pattern)]}; a partition is either built here or read from one upstream",
                        pattern.Text);
            }
            if (upstream.TokenFile is { } file && string.IsNullOrWhiteSpace(file))
                yield return Issue(JsonPaths.Property(path, "tokenFile"), "tokenFile must not be empty; leave it out when the upstream needs no token", upstream.TokenFile);
        }
    }

    /// <summary>Why <paramref name="url"/> cannot be an upstream's address, or null.</summary>
    public static string? UrlProblem(string url)
    {
        if (url.Length == 0) return "the upstream has no url; give its service's address, e.g. http://127.0.0.1:8765";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
            return $"'{url}' is not an http:// or https:// address of a DataBuild service, e.g. http://127.0.0.1:8765";
        if (uri.UserInfo.Length > 0) return $"'{url}' holds credentials; put the token in a file and name it with tokenFile";
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            return $"'{url}' has a path, query or fragment; give the service's base address only (the API is under /api/v1/)";
        return null;
    }

    private static ManifestIssue Issue(string path, string message, string? value) =>
        new(GraphManifestProblemKind.InvalidUpstream, path, message) { Value = value };
}
