using DataBuild.Events;

namespace DataBuild.Views;

/// <summary>
/// The reducers over one log, kept current from a cursor (the last event index applied): each refresh reads
/// only what was appended since, never the whole log again. The first refresh starts from the log's snapshot
/// when it has a usable one (<see cref="ViewSnapshots"/>), so a new reader, too, reads only what came after it.
/// They are fed only through the log's validator: an event that is not a correct next state never reaches them.
/// </summary>
public sealed class BuildEventViews
{
    private bool _started;
    private readonly List<Proto.StoredEvent> _replayed = [];

    public BuildEventViews()
    {
        // One pool for the four views, so a request's id or a partition's ref is one instance in all of them.
        Runs = new JobRunsView();
        Catalog = new PartitionCatalog(Runs);
        Requests = new BuildRequestsView { Strings = Runs.Strings };
        Wants = new WantsView { Strings = Runs.Strings };
        Backfills = new BackfillsView();
        Schedules = new SchedulesView();
    }

    public PartitionCatalog Catalog { get; }

    public JobRunsView Runs { get; }

    public BuildRequestsView Requests { get; }

    public WantsView Wants { get; }

    public BackfillsView Backfills { get; }

    public SchedulesView Schedules { get; }

    /// <summary>The events applied so far that a snapshot keeps whole (<see cref="SnapshotReplay"/>).</summary>
    internal IReadOnlyList<Proto.StoredEvent> Replayed => _replayed;

    /// <summary>Applies an event a snapshot kept whole to the views that keep no snapshot state of their own.</summary>
    internal void Replay(Proto.StoredEvent stored)
    {
        Backfills.Apply(stored);
        Schedules.Apply(stored);
        _replayed.Add(stored);
    }

    /// <summary>The index of the last event applied.</summary>
    public long Cursor { get; private set; }

    /// <summary>
    /// Applies every event appended since <see cref="Cursor"/> that the validator of <paramref name="log"/>
    /// accepts; the validator catches up from the same reading, so checking costs no second pass.
    /// </summary>
    public void Refresh(BuildEventLog log)
    {
        if (!_started)
        {
            _started = true;
            if (log.Snapshot is { } snapshot && ViewSnapshots.TryRestore(this, snapshot, log)) Cursor = snapshot.CoveredIndex;
        }
        Cursor = Math.Max(Cursor, log.ReadCommitted(Cursor, Apply));
    }

    private void Apply(Proto.StoredEvent stored)
    {
        Runs.Apply(stored);
        Requests.Apply(stored);
        Catalog.Apply(stored);
        Wants.Apply(stored);
        Backfills.Apply(stored);
        Schedules.Apply(stored);
        if (SnapshotReplay.Keeps(stored)) _replayed.Add(stored);
        Cursor = stored.Index;
    }
}
