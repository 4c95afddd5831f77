using System.Net;
using Npgsql;

namespace DataBuild.Storage.Postgres;

/// <summary>
/// The two ways to name a PostgreSQL log: an Npgsql connection string (<c>postgres:Host=db;Database=bel</c>) or a
/// URI in libpq's form (<c>postgres://user:password@host:port/database?sslmode=require</c>), which has no ';' and so
/// passes intact through MSBuild properties and shells. Both become one connection string.
/// </summary>
internal static class PostgresUri
{
    // libpq's query parameter names for the settings Npgsql names differently; any other passes as written.
    private static readonly Dictionary<string, string> Parameters = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["application_name"] = "Application Name",
        ["connect_timeout"] = "Timeout",
        ["user"] = "Username",
        ["dbname"] = "Database",
    };

    /// <summary>The connection string of <paramref name="location"/> (what follows <c>postgres:</c>); throws <see cref="ArgumentException"/> naming what is wrong.</summary>
    public static string ToConnectionString(string location)
    {
        if (!location.StartsWith("//", StringComparison.Ordinal)) return new NpgsqlConnectionStringBuilder(location).ConnectionString;
        if (!Uri.TryCreate("postgres:" + location, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArgumentException("postgres://user@host:port/database is not a valid URI (is the host missing?)");
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host };
        if (!uri.IsDefaultPort && uri.Port > 0) builder.Port = uri.Port;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':');
            builder.Username = WebUtility.UrlDecode(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0) builder.Password = WebUtility.UrlDecode(uri.UserInfo[(colon + 1)..]);
        }
        var database = WebUtility.UrlDecode(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0) builder.Database = database;
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            if (equals <= 0) throw new ArgumentException($"the URI's query parameter '{pair}' is not name=value");
            var name = WebUtility.UrlDecode(pair[..equals]);
            builder[Parameters.GetValueOrDefault(name, name)] = WebUtility.UrlDecode(pair[(equals + 1)..]);
        }
        return builder.ConnectionString;
    }
}
