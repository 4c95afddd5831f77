using DataBuild.Events;
using DataBuild.Events.Storage;

namespace DataBuild.Storage.Sqlite;

/// <summary><c>sqlite:&lt;path&gt;</c>, for <see cref="EventStorage.Register"/>.</summary>
public sealed class SqliteStorageProvider : IEventStorageProvider
{
    public static readonly SqliteStorageProvider Instance = new();

    public string Scheme => "sqlite";

    public string Usage => "sqlite:<path>";

    public IEventStorage Open(EventStorageUri uri) => new SqliteEventStorage(uri.ResolvePath());
}
