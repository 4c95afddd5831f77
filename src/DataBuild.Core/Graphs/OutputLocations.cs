using System.Text;
using System.Text.RegularExpressions;
using DataBuild.Refs;

namespace DataBuild.Graphs;

/// <summary>
/// Where a job's outputs land (docs/job-contract.md#locations): one location template per output pattern, its
/// <c>{name}</c> placeholders filled with that pattern's captures, relative to the graph's working directory or
/// absolute. DataBuild only ever stats a location; a job without locations is trusted as the log says.
/// </summary>
public static partial class OutputLocations
{
    [GeneratedRegex(@"\{([^{}/]*)\}")]
    private static partial Regex Placeholder();

    /// <summary>The location of <paramref name="partitionRef"/>, an absolute path, or null when the job declares none or no pattern of it matches.</summary>
    public static string? Of(GraphManifest graph, JobDefinition job, string partitionRef)
    {
        if (job.Locations.Count != job.Outputs.Count) return null;
        var best = -1;
        IReadOnlyDictionary<string, string>? captures = null;
        for (var k = 0; k < job.Outputs.Count; k++)
        {
            if (best >= 0 && job.Outputs[k].LiteralPrefix.Length <= job.Outputs[best].LiteralPrefix.Length) continue;
            if (job.Outputs[k].Match(partitionRef) is { } found)
            {
                best = k;
                captures = found;
            }
        }
        return best < 0 ? null : Resolve(graph, job.Locations[best], captures!);
    }

    /// <summary>
    /// The location templates of <paramref name="graph"/>, prepared once for a build or a listing that resolves many
    /// refs (every partition of a closure): <see cref="PreparedLocations.Of"/>.
    /// </summary>
    public static PreparedLocations Prepare(GraphManifest graph) => new(graph);

    // The placeholders of Placeholder() filled by a scan, not the regex: a build may resolve every partition of its closure.
    internal static string Resolve(GraphManifest graph, string template, IReadOnlyDictionary<string, string> captures)
    {
        var path = new StringBuilder(template.Length + 16);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0) break;
            var close = template.AsSpan(open + 1).IndexOfAny('{', '}', '/') is var end and >= 0 ? open + 1 + end : -1;
            if (close < 0 || template[close] != '}')
            {
                path.Append(template, i, open + 1 - i);
                i = open + 1;
                continue;
            }
            path.Append(template, i, open - i);
            var name = template.Substring(open + 1, close - open - 1);
            if (captures.TryGetValue(name, out var value)) path.Append(value);
            else path.Append(template, open, close + 1 - open);
            i = close + 1;
        }
        path.Append(template, i, template.Length - i);
        return Path.GetFullPath(path.ToString(), graph.WorkingDirectory);
    }

    /// <summary>The rules: none, or one per output; each not empty, naming exactly the captures of its pattern.</summary>
    internal static IEnumerable<ManifestIssue> Check(JobDefinition job, string path)
    {
        if (job.Locations.Count == 0) yield break;
        if (job.Locations.Count != job.Outputs.Count)
        {
            yield return new(GraphManifestProblemKind.InvalidLocation, path,
                $"{job.Locations.Count} locations for {job.Outputs.Count} output patterns; declare one location per output pattern, in the same order");
            yield break;
        }
        for (var k = 0; k < job.Locations.Count; k++)
        {
            var location = job.Locations[k];
            var at = JsonPaths.Element(path, k);
            if (location.Trim().Length == 0)
            {
                yield return new(GraphManifestProblemKind.InvalidLocation, at, "a location must not be empty") { Value = location };
                continue;
            }
            var named = Placeholder().Matches(location).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            var captured = job.Outputs[k].CaptureNames.ToHashSet(StringComparer.Ordinal);
            if (named.SetEquals(captured)) continue;
            var unknown = named.Except(captured).Order(StringComparer.Ordinal).ToArray();
            var unused = captured.Except(named).Order(StringComparer.Ordinal).ToArray();
            var problem = unknown.Length > 0
                ? $"names {string.Join(", ", unknown.Select(n => $"{{{n}}}"))}, which the pattern '{job.Outputs[k]}' does not capture"
                : $"leaves out {string.Join(", ", unused.Select(n => $"{{{n}}}"))} of the pattern '{job.Outputs[k]}', so two partitions would share it";
            yield return new(GraphManifestProblemKind.InvalidLocation, at, $"the location '{location}' {problem}") { Value = location };
        }
    }
}
