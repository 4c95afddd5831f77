using DataBuild.Events;
using DataBuild.Events.Storage;

namespace DataBuild.Storage.Postgres;

/// <summary>
/// <c>postgres:&lt;connection string&gt;</c> (an Npgsql one) or <c>postgres://user@host:port/database?…</c> (see
/// <see cref="PostgresUri"/>), for <see cref="EventStorage.Register"/>.
/// </summary>
public sealed class PostgresStorageProvider : IEventStorageProvider
{
    public static readonly PostgresStorageProvider Instance = new();

    public string Scheme => "postgres";

    public string Usage => "postgres:<connection string> or postgres://user@host:port/database (e.g. postgres:Host=db;Database=bel;Username=databuild, postgres://databuild@db:5432/bel)";

    // Messages leave the connection string out: it may hold a password.
    public IEventStorage Open(EventStorageUri uri)
    {
        if (string.IsNullOrWhiteSpace(uri.Location)) throw uri.Refused("BEL storage 'postgres:' has no connection string");
        string connectionString;
        try
        {
            connectionString = PostgresUri.ToConnectionString(uri.Location);
        }
        catch (ArgumentException e)
        {
            throw uri.Refused($"BEL storage postgres:<connection string>: the connection string is not valid: {e.Message}", e);
        }
        return new PostgresEventStorage(connectionString, onWarning: uri.OnWarning);
    }
}
