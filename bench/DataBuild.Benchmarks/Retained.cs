using System.Globalization;
using DataBuild.Events;
using DataBuild.Storage.Sqlite;
using DataBuild.Views;

namespace DataBuild.Benchmarks;

/// <summary>
/// What the views keep after folding a million events (<c>--retained</c>), which MemoryDiagnoser does not show:
/// it counts bytes allocated, and what survives is what every later collection copies and a long-lived process
/// (the service, a build) holds. Measured as the managed heap after a full collection with the views alive,
/// less the heap before the fold; "views" alone once the log (and its validator) is dropped too. From SQLite
/// each event is parsed afresh, so every string a view keeps is its own copy unless the views share them; the
/// in-memory log keeps its parsed events alive, so there the views' strings are the events' own.
/// </summary>
internal static class Retained
{
    private const int Events = 1_000_000;

    public static int Run()
    {
        var folder = Path.Combine(Path.GetTempPath(), "databuild-benchmarks", Guid.NewGuid().ToString("N"));
        try
        {
            var memory = InMemoryStorage.Of(new EventStream(), Events);
            using var sqlite = new SqliteEventStorage(Path.Combine(folder, "bel.sqlite"));
            var all = memory.List(0, new(), Events).Events.Select(e => e.Event).ToArray();
            for (var i = 0; i < all.Length; i += 10_000) sqlite.Append(all[i..Math.Min(i + 10_000, all.Length)]);
            all = null;
            Console.WriteLine($"| source | views + validator | views | per event (views) | load |");
            Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
            for (var round = 0; round < 3; round++)
            {
                Measure("memory", memory);
                Measure("sqlite", sqlite);
            }
            GC.KeepAlive(memory);
            return 0;
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static void Measure(string source, IEventStorage storage)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var (views, withLog) = Fold(storage);
        var alone = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(views);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {source} | {Mib(withLog)} | {Mib(alone)} | {alone / (double)Events:F1} B | {ResultsFile.LoadAverage():F1} |"));
    }

    // In a method of its own, so the log is unreachable once it returns.
    private static (BuildEventViews Views, long WithLog) Fold(IEventStorage storage)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var log = new BuildEventLog(storage);
        var views = new BuildEventViews();
        views.Refresh(log);
        var withLog = GC.GetTotalMemory(forceFullCollection: true) - before;
        GC.KeepAlive(log);
        return (views, withLog);
    }

    private static string Mib(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:F1} MiB");
}
