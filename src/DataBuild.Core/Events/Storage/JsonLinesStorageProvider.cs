namespace DataBuild.Events.Storage;

/// <summary><c>file:&lt;path&gt;</c>: the JSON lines log, Core's own backend, needing no database driver.</summary>
internal sealed class JsonLinesStorageProvider : IEventStorageProvider
{
    public string Scheme => "file";

    public string Usage => "file:<path> (JSON lines)";

    public IEventStorage Open(EventStorageUri uri) => new JsonLinesEventStorage(uri.ResolvePath(), uri.OnWarning);
}
