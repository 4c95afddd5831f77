namespace DataBuild.Events.Storage;

/// <summary>
/// One backend of the BEL, opened by the scheme of its URI (<c>sqlite:…</c>). Backends live in assemblies of
/// their own (DataBuild.Storage.Sqlite, DataBuild.Storage.Postgres) so that Core and the MSBuild tasks load no
/// database driver; a host offers a backend by passing its provider to <see cref="EventStorage.Register"/>.
/// </summary>
public interface IEventStorageProvider
{
    /// <summary>The URI scheme, without its colon: <c>sqlite</c>.</summary>
    string Scheme { get; }

    /// <summary>How such a URI is written, for the list of supported ones in messages: <c>sqlite:&lt;path&gt;</c>.</summary>
    string Usage { get; }

    /// <summary>
    /// Opens the storage <paramref name="uri"/> names. Bad input is an <see cref="ArgumentException"/> made by
    /// <see cref="EventStorageUri.Refused"/>; an unreachable server an <see cref="EventStorageUnavailableException"/>.
    /// </summary>
    IEventStorage Open(EventStorageUri uri);
}
