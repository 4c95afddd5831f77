using BenchmarkDotNet.Attributes;
using DataBuild.Events.Storage;
using DataBuild.Views;

namespace DataBuild.Benchmarks;

/// <summary>
/// Reducing a million events into the views (catalog, job runs, build requests, wants): from events already
/// in memory, which is the reducers alone, and from an SQLite log, which is what a CLI start pays.
/// </summary>
public class Catalog
{
    private const int Events = 1_000_000;

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

    [Benchmark]
    [Items(Events, "events")]
    public long ReduceInMemory()
    {
        var views = new BuildEventViews();
        views.Refresh(_memory);
        return views.Catalog.Count;
    }

    [Benchmark]
    [Items(Events, "events")]
    public long ReduceFromSqlite()
    {
        var views = new BuildEventViews();
        views.Refresh(_sqlite);
        return views.Catalog.Count;
    }
}
