using System.Net;
using Microsoft.AspNetCore.Http;

namespace DataBuild.Service.Http;

/// <summary>
/// Who may call: with a token, every call but the health checks carries <c>Authorization: Bearer &lt;token&gt;</c>
/// (401 otherwise; the dashboard's files need none); without one, only callers on this machine (loopback) get in (403 otherwise).
/// </summary>
internal sealed class AccessMiddleware(RequestDelegate next, AccessMiddleware.Policy policy)
{
    /// <summary>The token to require, or none: loopback callers only.</summary>
    public sealed record Policy(TokenCheck? Token);

    public static bool IsHealthCheck(PathString path) => path == "/healthz" || path == "/readyz";

    public async Task InvokeAsync(HttpContext context)
    {
        // The dashboard's own files hold no data: with a token they load without it, and the page asks for it.
        if (IsHealthCheck(context.Request.Path) || (policy.Token is not null && context.GetEndpoint()?.Metadata.GetMetadata<DashboardFiles.Public>() is not null))
        {
            await next(context);
            return;
        }
        if (policy.Token is { } token)
        {
            if (!token.Accepts(context.Request.Headers.Authorization))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await ProblemDetailsMiddleware.WriteAsync(context, StatusCodes.Status401Unauthorized,
                    "this service needs 'Authorization: Bearer <token>' with the token of its --token-file");
                return;
            }
        }
        else if (context.Connection.RemoteIpAddress is { } remote && !IPAddress.IsLoopback(remote))
        {
            await ProblemDetailsMiddleware.WriteAsync(context, StatusCodes.Status403Forbidden,
                "this service was started without --token-file and accepts calls from this machine only");
            return;
        }
        await next(context);
    }
}
