using DataBuild.Refs;

namespace DataBuild.Graphs;

/// <summary>
/// Another graph's service whose partitions this graph reads but never builds (docs/service.md#upstream-graphs): a ref
/// matching one of its <see cref="Patterns"/> is asked of the service at <see cref="Url"/> instead of being given to a
/// local job. Construction does not validate; a <see cref="GraphManifest"/> validates its upstreams with its jobs.
/// </summary>
public sealed class UpstreamGraph
{
    public UpstreamGraph(string url, IEnumerable<PartitionPattern> patterns, string? tokenFile = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(patterns);
        Url = url;
        Patterns = patterns.ToArray().AsReadOnly();
        TokenFile = tokenFile;
    }

    /// <summary>The upstream service's base address, e.g. <c>http://127.0.0.1:8765</c>.</summary>
    public string Url { get; }

    /// <summary>The partitions it is asked for.</summary>
    public IReadOnlyList<PartitionPattern> Patterns { get; }

    /// <summary>A file holding the bearer token the upstream service wants, as declared (relative to the manifest's folder); null when it needs none.</summary>
    public string? TokenFile { get; }

    public bool IsMatch(string partitionRef) => Patterns.Any(p => p.IsMatch(partitionRef));

    public override string ToString() => Url;
}
