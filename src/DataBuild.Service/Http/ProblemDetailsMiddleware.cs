using System.Text.Json;
using System.Text.Json.Nodes;
using DataBuild.Service.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace DataBuild.Service.Http;

/// <summary>
/// Errors of the HTTP/JSON API as problem details (RFC 9457): JSON transcoding answers an error with the gRPC
/// status as JSON; this rewrites it to <c>application/problem+json</c> with the status, the message and, for
/// bad input, the field at fault. API answers are small (pages are bounded), so each is buffered until its status is known.
/// </summary>
internal sealed class ProblemDetailsMiddleware(RequestDelegate next)
{
    public const string ContentType = "application/problem+json";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) || context.Request.ContentType?.StartsWith("application/grpc", StringComparison.Ordinal) == true)
        {
            await next(context);
            return;
        }
        if (QueryProblem(context.Request.Query) is { } bad)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, $"{bad.Field}: {bad.Why}", bad.Field);
            return;
        }
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }
        if (context.Response.StatusCode >= 400 && context.Response.ContentType != ContentType)
        {
            var detail = MessageOf(buffer.ToArray()) ?? ReasonPhrases.GetReasonPhrase(context.Response.StatusCode);
            await WriteAsync(context, context.Response.StatusCode, detail, context.Items[ApiErrors.FieldItem] as string);
            return;
        }
        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    public static async Task WriteAsync(HttpContext context, int status, string detail, string? field = null)
    {
        var problem = new JsonObject
        {
            ["type"] = "about:blank",
            ["title"] = ReasonPhrases.GetReasonPhrase(status),
            ["status"] = status,
            ["detail"] = detail,
        };
        if (field is not null) problem["field"] = field;
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        context.Response.ContentLength = null;
        await context.Response.WriteAsync(problem.ToJsonString(), context.RequestAborted);
    }

    private static readonly string[] IntegerParameters = ["since", "limit", "wait", "pageSize", "offset"];

    // Checked before transcoding, whose own message for a value it cannot read does not name the parameter.
    private static (string Field, string Why)? QueryProblem(IQueryCollection query)
    {
        foreach (var name in IntegerParameters)
            foreach (var value in query[name])
                if (!long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out _))
                    return (name, $"'{value}' is not a whole number");
        foreach (var value in query["all"])
            if (value is not ("true" or "false")) return ("all", $"'{value}' is not true or false");
        return null;
    }

    // The transcoded error body is google.rpc.Status as JSON: {"code":3,"message":"…","details":[]}.
    private static string? MessageOf(byte[] body)
    {
        if (body.Length == 0) return null;
        try
        {
            return JsonNode.Parse(body)?["message"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
