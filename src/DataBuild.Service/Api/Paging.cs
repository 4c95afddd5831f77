using System.Buffers.Text;
using System.Text;
using Grpc.Core;

namespace DataBuild.Service.Api;

/// <summary>Page tokens: opaque to callers, a position or a key underneath.</summary>
internal static class Paging
{
    public static string Token(int position) => Token(position.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static string Token(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    /// <summary>The position in a token, or null for the first page.</summary>
    public static int? Position(ServerCallContext context, string field, string token)
    {
        if (token.Length == 0) return null;
        return int.TryParse(Key(context, field, token), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position)
            ? position
            : throw ApiErrors.Invalid(context, field, "not a page token this service gave out");
    }

    /// <summary>The key in a token, or null for the first page.</summary>
    public static string? Key(ServerCallContext context, string field, string token)
    {
        if (token.Length == 0) return null;
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw ApiErrors.Invalid(context, field, "not a page token this service gave out");
        }
    }
}
