using System.Reflection;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.StaticFiles;

namespace DataBuild.Service.Http;

/// <summary>
/// The dashboard (docs/dashboard.md): the pages built from <c>src/DataBuild.Dashboard</c> at build time and embedded
/// in this assembly as resources named <c>dashboard/…</c>, served at <c>/</c>. They hold no data (every figure comes
/// from <c>/api/v1/</c>), so with a token file they load without the token and the page asks for it.
/// </summary>
internal static class DashboardFiles
{
    private const string Prefix = "dashboard/";

    /// <summary>Endpoint metadata: a file anyone who may reach the service may load, without the token.</summary>
    public sealed class Public
    {
        public static readonly Public Instance = new();
    }

    // Only this origin: scripts, styles, data; Mermaid draws with inline styles. No frames, no plugins, no other hosts.
    private const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

    private sealed record Asset(byte[] Content, string ContentType, string ETag);

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var assembly = typeof(DashboardFiles).Assembly;
        var types = new FileExtensionContentTypeProvider();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            var path = name[Prefix.Length..];
            var file = Load(assembly, name, types.TryGetContentType(path, out var type) ? type : "application/octet-stream");
            endpoints.MapGet("/" + path, context => Serve(context, file)).WithMetadata(Public.Instance);
            if (path == "index.html") endpoints.MapGet("/", context => Serve(context, file)).WithMetadata(Public.Instance);
        }
    }

    private static Asset Load(Assembly assembly, string name, string contentType)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var content = copy.ToArray();
        var text = contentType.StartsWith("text/", StringComparison.Ordinal) || contentType.EndsWith("javascript", StringComparison.Ordinal);
        return new Asset(content, text ? contentType + "; charset=utf-8" : contentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(content))[..32]}\"");
    }

    private static Task Serve(HttpContext context, Asset file)
    {
        var headers = context.Response.Headers;
        headers.ETag = file.ETag;
        // Revalidated on every load, so a rebuilt service never serves a page stale scripts.
        headers.CacheControl = "no-cache";
        headers.XContentTypeOptions = "nosniff";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        if (context.Request.Headers.IfNoneMatch == file.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return Task.CompletedTask;
        }
        context.Response.ContentType = file.ContentType;
        context.Response.ContentLength = file.Content.Length;
        return context.Response.Body.WriteAsync(file.Content, context.RequestAborted).AsTask();
    }
}
