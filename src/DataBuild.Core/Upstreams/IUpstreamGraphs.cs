using DataBuild.Proto;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Upstreams;

/// <summary>
/// How a build talks to an upstream graph's service (docs/service.md#upstream-graphs). Core decides what to ask and
/// what the answers mean (<see cref="UpstreamFollower"/>); a host that can speak HTTP implements the calls (the
/// service project's <c>HttpUpstreamGraphs</c>), so Core stays free of HTTP.
/// </summary>
public interface IUpstreamGraphs
{
    /// <summary>
    /// Asks the upstream at <paramref name="address"/> for a build of <paramref name="partitions"/> with the id
    /// <paramref name="buildRequestId"/> (<c>POST /api/v1/builds</c>). Throws <see cref="UpstreamUnreachableException"/>
    /// when it cannot be reached or cannot answer now, <see cref="UpstreamRefusedException"/> when it says no.
    /// </summary>
    Task SubmitBuildAsync(UpstreamAddress address, string buildRequestId, IReadOnlyList<string> partitions, string requestedBy,
        CancellationToken cancellationToken);

    /// <summary>
    /// One long poll of the upstream's events of <paramref name="buildRequestId"/> after <paramref name="since"/>
    /// (<c>GET /api/v1/events?request=…&amp;since=…&amp;wait=…</c>); throws as <see cref="SubmitBuildAsync"/> does.
    /// </summary>
    Task<EventPage> ListEventsAsync(UpstreamAddress address, string buildRequestId, long since, TimeSpan wait, CancellationToken cancellationToken);
}

/// <summary>An upstream service's base URL and the absolute path of its token file, if it needs one.</summary>
public sealed record UpstreamAddress(string Url, string? TokenFile);

/// <summary>The upstream could not be reached or answered that it cannot serve now (5xx, 429): asked again after a backoff.</summary>
public sealed class UpstreamUnreachableException(string message, Exception? inner = null) : IOException(message, inner);

/// <summary>The upstream refused the request (a bad ref, a wrong token): the partitions fail with its reason.</summary>
public sealed class UpstreamRefusedException(string message) : Exception(message);
