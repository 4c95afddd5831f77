using DataBuild.Events.Storage;
using Npgsql;

namespace DataBuild.Events;

/// <summary>Opens a BEL backend from its URI (DESIGN.md §6).</summary>
public static class EventStorage
{
    public const string Supported = "sqlite:<path>, file:<path> (JSON lines), postgres:<connection string> (e.g. postgres:Host=db;Database=bel;Username=databuild)";

    /// <summary>
    /// Opens <c>sqlite:&lt;path&gt;</c>, <c>file:&lt;path&gt;</c> or <c>postgres:&lt;connection string&gt;</c> (an
    /// Npgsql one); a relative path is resolved against <paramref name="baseDirectory"/> (the current directory
    /// when null). Warnings that do not stop the log (a torn last batch in a file) go to
    /// <paramref name="onWarning"/>, standard error by default.
    /// Throws <see cref="ArgumentException"/> naming the URI and the supported schemes when it is not one of them,
    /// and <see cref="EventStorageUnavailableException"/> when a PostgreSQL log's server cannot be reached.
    /// </summary>
    public static IEventStorage Open(string uri, string? baseDirectory = null, Action<string>? onWarning = null)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var colon = uri.IndexOf(':');
        var scheme = colon > 0 ? uri[..colon] : "";
        var location = colon > 0 ? uri[(colon + 1)..] : "";
        switch (scheme)
        {
            case "sqlite":
                return new SqliteEventStorage(ResolvePath(uri, location, baseDirectory));
            case "file":
                return new JsonLinesEventStorage(ResolvePath(uri, location, baseDirectory), onWarning);
            case "postgres":
                return OpenPostgres(location, onWarning);
            default:
                throw new ArgumentException($"BEL storage '{uri}' is not a supported URI. Supported: {Supported}.", nameof(uri));
        }
    }

    /// <summary>
    /// The file behind a <c>sqlite:</c> or <c>file:</c> URI, as <see cref="Open"/> resolves it, with the
    /// description its storage gives; null for a log that is not one local file.
    /// </summary>
    public static (string Path, string Description)? LocalFile(string uri, string? baseDirectory = null)
    {
        var colon = uri.IndexOf(':');
        var scheme = colon > 0 ? uri[..colon] : "";
        if (scheme is not ("sqlite" or "file")) return null;
        var path = ResolvePath(uri, uri[(colon + 1)..], baseDirectory);
        return (path, $"{scheme}:{path}");
    }

    // Messages leave the connection string out: it may hold a password.
    private static PostgresEventStorage OpenPostgres(string connectionString, Action<string>? onWarning)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException($"BEL storage 'postgres:' has no connection string. Supported: {Supported}.", "uri");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"BEL storage postgres:<connection string>: the connection string is not valid: {e.Message}. Supported: {Supported}.", "uri", e);
        }
        return new PostgresEventStorage(connectionString, onWarning: onWarning);
    }

    private static string ResolvePath(string uri, string location, string? baseDirectory)
    {
        if (string.IsNullOrWhiteSpace(location))
            throw new ArgumentException($"BEL storage '{uri}' has no path. Supported: {Supported}.", nameof(uri));
        return Path.GetFullPath(location, Path.GetFullPath(baseDirectory ?? Directory.GetCurrentDirectory()));
    }
}
