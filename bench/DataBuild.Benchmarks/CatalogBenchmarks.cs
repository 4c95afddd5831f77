using BenchmarkDotNet.Attributes;
using DataBuild.Proto;
using DataBuild.Storage.Sqlite;
using DataBuild.Views;

namespace DataBuild.Benchmarks;

/// <summary>
/// Reducing a million events. <see cref="ReduceCatalog"/> is the partition catalog alone, fed every event:
/// the "catalog reduction" of the target. <see cref="ReduceAllViews"/> folds the same events into all four
/// views (catalog, job runs, build requests, wants), which is what every CLI start pays on top of reading
/// the log; <see cref="ReduceAllViewsFromSqlite"/> adds the reading from an SQLite log. The in-memory log is
/// already parsed, so the first two measure the reducers and not storage or protobuf parsing.
/// </summary>
public class Catalog
{
    private const int Events = 1_000_000;
    private const int PageSize = 10_000;

    private InMemoryStorage _memory = null!;
    private string _folder = null!;
    private SqliteEventStorage _sqlite = null!;

    [GlobalSetup]
    public void Setup()
    {
        _memory = InMemoryStorage.Of(new EventStream(), Events);
        _folder = Path.Combine(Path.GetTempPath(), "databuild-benchmarks", Guid.NewGuid().ToString("N"));
        _sqlite = new SqliteEventStorage(Path.Combine(_folder, "bel.sqlite"));
        var all = _memory.List(0, new(), Events).Events.Select(e => e.Event).ToArray();
        for (var i = 0; i < all.Length; i += 10_000) _sqlite.Append(all[i..Math.Min(i + 10_000, all.Length)]);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sqlite.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// The catalog alone, read in pages as <see cref="BuildEventViews.Refresh(IEventStorage)"/> reads. Its
    /// job runs view is needed only to derive STALE when asked, never while applying, so it stays empty.
    /// </summary>
    [Benchmark]
    [Items(Events, "events")]
    public long ReduceCatalog()
    {
        var catalog = new PartitionCatalog(new JobRunsView());
        var filter = new EventFilter();
        long cursor = 0;
        while (true)
        {
            var page = _memory.List(cursor, filter, PageSize);
            var events = page.Events;
            for (var i = 0; i < events.Count; i++) catalog.Apply(events[i]);
            cursor = page.NextSinceIndex;
            if (!page.HasMore) return catalog.Count;
        }
    }

    [Benchmark]
    [Items(Events, "events")]
    public long ReduceAllViews()
    {
        var views = new BuildEventViews();
        views.Refresh(_memory);
        return views.Catalog.Count;
    }

    [Benchmark]
    [Items(Events, "events")]
    public long ReduceAllViewsFromSqlite()
    {
        var views = new BuildEventViews();
        views.Refresh(_sqlite);
        return views.Catalog.Count;
    }
}
