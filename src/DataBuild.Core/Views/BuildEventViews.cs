using DataBuild.Events;

namespace DataBuild.Views;

/// <summary>
/// The reducers over one log, kept current from a cursor (the last event index applied): each refresh reads
/// only what was appended since, never the whole log again.
/// </summary>
public sealed class BuildEventViews
{
    private const int PageSize = 10_000;

    public BuildEventViews()
    {
        Runs = new JobRunsView();
        Catalog = new PartitionCatalog(Runs);
        Requests = new BuildRequestsView();
        Wants = new WantsView();
    }

    public PartitionCatalog Catalog { get; }

    public JobRunsView Runs { get; }

    public BuildRequestsView Requests { get; }

    public WantsView Wants { get; }

    /// <summary>The index of the last event applied.</summary>
    public long Cursor { get; private set; }

    /// <summary>Applies every event appended to <paramref name="storage"/> since <see cref="Cursor"/>.</summary>
    public void Refresh(IEventStorage storage)
    {
        var filter = new Proto.EventFilter();
        while (true)
        {
            var page = storage.List(Cursor, filter, PageSize);
            // Indexed: RepeatedField's enumerator is an iterator, two interface calls per event.
            var events = page.Events;
            for (var i = 0; i < events.Count; i++) Apply(events[i]);
            Cursor = Math.Max(Cursor, page.NextSinceIndex);
            if (!page.HasMore) return;
        }
    }

    /// <summary>
    /// Applies every event appended since <see cref="Cursor"/>, read through <paramref name="log"/>, whose
    /// validator catches up from the same reading: for views kept by a writer of the log.
    /// </summary>
    public void Refresh(BuildEventLog log) => Cursor = Math.Max(Cursor, log.ReadCommitted(Cursor, Apply));

    private void Apply(Proto.StoredEvent stored)
    {
        Runs.Apply(stored);
        Requests.Apply(stored);
        Catalog.Apply(stored);
        Wants.Apply(stored);
        Cursor = stored.Index;
    }
}
