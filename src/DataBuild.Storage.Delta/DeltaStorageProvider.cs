using DataBuild.Events;
using DataBuild.Events.Storage;

namespace DataBuild.Storage.Delta;

/// <summary><c>delta:&lt;folder&gt;</c>, for <see cref="EventStorage.Register"/>.</summary>
public sealed class DeltaStorageProvider : IEventStorageProvider
{
    public static readonly DeltaStorageProvider Instance = new();

    public string Scheme => "delta";

    public string Usage => "delta:<folder> (Delta Lake table)";

    public IEventStorage Open(EventStorageUri uri) => new DeltaEventStorage(uri.ResolvePath());
}
