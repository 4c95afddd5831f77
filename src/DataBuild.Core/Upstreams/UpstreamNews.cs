namespace DataBuild.Upstreams;

/// <summary>What a <see cref="UpstreamFollower"/> learnt, handed to the build's loop, which records it.</summary>
internal abstract record UpstreamNews(string Url, IReadOnlyList<string> Partitions)
{
    /// <summary>About to ask for a build there with this id.</summary>
    public sealed record Requested(string Url, IReadOnlyList<string> Partitions, string BuildRequestId) : UpstreamNews(Url, Partitions);

    /// <summary>The upstream accepted the build; its events are followed.</summary>
    public sealed record Waiting(string Url, IReadOnlyList<string> Partitions, string BuildRequestId) : UpstreamNews(Url, Partitions);

    /// <summary>It could not be reached; asked again after <paramref name="RetryIn"/>.</summary>
    public sealed record Unreachable(string Url, IReadOnlyList<string> Partitions, string Reason, TimeSpan RetryIn) : UpstreamNews(Url, Partitions);

    /// <summary>The upstream recorded them AVAILABLE at its log index <paramref name="Index"/>.</summary>
    public sealed record Available(string Url, IReadOnlyList<string> Partitions, string BuildRequestId, long Index) : UpstreamNews(Url, Partitions);

    /// <summary>The upstream failed them (its reason), or refused to build them.</summary>
    public sealed record Failed(string Url, IReadOnlyList<string> Partitions, string BuildRequestId, long Index, string Reason) : UpstreamNews(Url, Partitions);
}
