using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Views;

namespace DataBuild.Service;

/// <summary>
/// The graph the service serves: its workspace (manifest, BEL, log folder), one set of views kept current
/// from a cursor and shared by every request, and the job slots every build in the service shares.
/// </summary>
public sealed class GraphState : IDisposable
{
    private readonly Lock _viewsGate = new();
    private readonly BuildEventViews _views = new();
    private readonly int _snapshotThreshold;
    private string[] _sortedRefs = [];

    /// <param name="snapshotThreshold">Events folded past the log's snapshot after which a read writes a new one
    /// (<see cref="ViewSnapshots.DefaultThreshold"/> unless a test says otherwise).</param>
    public GraphState(GraphWorkspace workspace, int parallelism, int snapshotThreshold = ViewSnapshots.DefaultThreshold)
    {
        Workspace = workspace;
        _snapshotThreshold = snapshotThreshold;
        Slots = new JobSlots(parallelism);
        BuildOptions = workspace.DefaultOptions() with { Parallelism = parallelism, SharedSlots = Slots };
    }

    public GraphWorkspace Workspace { get; }

    public BuildEngine Engine => Workspace.Engine;

    public BuildEventLog Log => Workspace.Log;

    public JobSlots Slots { get; }

    /// <summary>How the service's builds run; each build request adds its own id and flags.</summary>
    public BuildOptions BuildOptions { get; }

    /// <summary>
    /// Runs <paramref name="read"/> on the views brought up to the end of the log; one reader at a time. The views
    /// start from the log's snapshot; when they have folded a long tail past it (the first read of a log whose
    /// snapshot is old or missing), a new one is written, as a build's end does, so the next service starts there.
    /// </summary>
    public T Read<T>(Func<BuildEventViews, T> read)
    {
        lock (_viewsGate)
        {
            ViewSnapshots.WriteIfDue(Log, _views, _snapshotThreshold);
            return read(_views);
        }
    }

    /// <summary>
    /// Every partition ref of the catalog, sorted; call inside <see cref="Read{T}"/>. Refs are never removed, so
    /// the sorted copy is redone only when the catalog has grown, not for every page of a listing.
    /// </summary>
    public IReadOnlyList<string> SortedRefs(BuildEventViews views)
    {
        if (_sortedRefs.Length != views.Catalog.Count)
        {
            var refs = views.Catalog.Refs.ToArray();
            Array.Sort(refs, StringComparer.Ordinal);
            _sortedRefs = refs;
        }
        return _sortedRefs;
    }

    public void Dispose() => Workspace.Dispose();
}
