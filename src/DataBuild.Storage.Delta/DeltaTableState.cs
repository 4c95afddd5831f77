namespace DataBuild.Storage.Delta;

/// <summary>
/// A Delta table at one version, as log replay builds it: the protocol, the metadata, the active data files
/// (every <c>add</c> not later <c>remove</c>d) and the tombstones of removed ones. <see cref="Version"/> is -1
/// for a table with no commit yet.
/// </summary>
internal sealed class DeltaTableState
{
    private readonly Dictionary<string, DeltaAdd> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DeltaRemove> _tombstones = new(StringComparer.Ordinal);

    public long Version { get; private set; } = -1;

    public DeltaProtocol? Protocol { get; private set; }

    public DeltaMetadata? Metadata { get; private set; }

    /// <summary>The version of the checkpoint replay started from; null when it read every JSON commit.</summary>
    public long? StartedFromCheckpoint { get; set; }

    public IReadOnlyCollection<DeltaAdd> ActiveFiles => _active.Values;

    public IReadOnlyCollection<DeltaRemove> Tombstones => _tombstones.Values;

    public bool IsActive(string path) => _active.ContainsKey(path);

    /// <summary>Applies the commit of <paramref name="version"/>, the one after <see cref="Version"/>.</summary>
    public void Apply(long version, DeltaCommit commit)
    {
        if (version != Version + 1) throw new InvalidOperationException($"version {version} applied after {Version}");
        if (commit.Protocol is not null) Protocol = commit.Protocol;
        if (commit.Metadata is not null) Metadata = commit.Metadata;
        foreach (var remove in commit.Removes)
        {
            _active.Remove(remove.Path);
            _tombstones[remove.Path] = remove;
        }
        foreach (var add in commit.Adds)
        {
            _active[add.Path] = add;
            _tombstones.Remove(add.Path);
        }
        Version = version;
    }

    /// <summary>A state at <paramref name="version"/> from a checkpoint's actions.</summary>
    public static DeltaTableState FromCheckpoint(long version, DeltaCommit actions)
    {
        var state = new DeltaTableState { Version = version - 1 };
        state.Apply(version, actions);
        state.StartedFromCheckpoint = version;
        return state;
    }
}
