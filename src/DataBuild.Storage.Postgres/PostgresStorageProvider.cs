using DataBuild.Events;
using DataBuild.Events.Storage;
using Npgsql;

namespace DataBuild.Storage.Postgres;

/// <summary><c>postgres:&lt;connection string&gt;</c> (an Npgsql one), for <see cref="EventStorage.Register"/>.</summary>
public sealed class PostgresStorageProvider : IEventStorageProvider
{
    public static readonly PostgresStorageProvider Instance = new();

    public string Scheme => "postgres";

    public string Usage => "postgres:<connection string> (e.g. postgres:Host=db;Database=bel;Username=databuild)";

    // Messages leave the connection string out: it may hold a password.
    public IEventStorage Open(EventStorageUri uri)
    {
        if (string.IsNullOrWhiteSpace(uri.Location)) throw uri.Refused("BEL storage 'postgres:' has no connection string");
        try
        {
            _ = new NpgsqlConnectionStringBuilder(uri.Location);
        }
        catch (ArgumentException e)
        {
            throw uri.Refused($"BEL storage postgres:<connection string>: the connection string is not valid: {e.Message}", e);
        }
        return new PostgresEventStorage(uri.Location, onWarning: uri.OnWarning);
    }
}
