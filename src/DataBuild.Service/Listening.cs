using System.Net;

namespace DataBuild.Service;

/// <summary>One address to listen on, parsed from <c>--urls</c> or <c>--grpc-urls</c>.</summary>
internal sealed record Listening(string Url, bool Https, IPAddress? Address, int Port, bool GrpcOnly)
{
    /// <summary>Null for <c>localhost</c>, which Kestrel binds on both loopback addresses.</summary>
    public bool IsLoopback => Address is null || IPAddress.IsLoopback(Address);

    public static Listening Parse(string url, bool grpcOnly)
    {
        var option = grpcOnly ? "--grpc-urls" : "--urls";
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0"), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/" || uri.Query.Length > 0)
            throw new ServiceStartException($"{option}: '{url}' is not an address to listen on; give one like {ServiceOptions.DefaultUrl}");
        IPAddress? address;
        if (uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) address = null;
        else if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out address))
            throw new ServiceStartException($"{option}: '{url}' names host '{uri.Host}'; give an IP address (e.g. 127.0.0.1, 0.0.0.0) or localhost");
        return new Listening(url, uri.Scheme == "https", address, uri.Port, grpcOnly);
    }
}
