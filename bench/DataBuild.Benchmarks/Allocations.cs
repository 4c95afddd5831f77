using System.Diagnostics;
using DataBuild.Events;
using DataBuild.Views;

namespace DataBuild.Benchmarks;

/// <summary>
/// <c>--allocations</c>: the bytes each view and the validator allocate per event while folding the benchmark's
/// 1,000,000 parsed events (the fold of <c>Catalog.ReduceAllViews</c>, taken apart), and the time each takes (a GC
/// counts against the reducer that triggered it; the GC pauses of the round are printed apart), so a change to one
/// reducer shows against the others. Two rounds: the first includes what the JIT allocates and compiles.
/// </summary>
internal static class Allocations
{
    private const int Events = 1_000_000;

    public static int Run()
    {
        var events = InMemoryStorage.Of(new EventStream(), Events).List(0, new(), Events).Events.ToArray();
        for (var round = 1; round <= 2; round++)
        {
            var runs = new JobRunsView();
            var catalog = new PartitionCatalog(runs);
            var requests = new BuildRequestsView { Strings = runs.Strings };
            var wants = new WantsView { Strings = runs.Strings };
            var backfills = new BackfillsView();
            var schedules = new SchedulesView();
            var validator = new TransitionValidator();
            (string Name, Action<Proto.StoredEvent> Apply)[] reducers =
            [
                ("job runs", runs.Apply), ("build requests", requests.Apply), ("catalog", catalog.Apply), ("wants", wants.Apply),
                ("backfills", backfills.Apply), ("schedules", schedules.Apply), ("validator", e => validator.ApplyCommitted(e.Event, e.Index)),
            ];
            var bytes = new long[reducers.Length];
            var ticks = new long[reducers.Length];
            var paused = GC.GetTotalPauseDuration();
            var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            foreach (var stored in events)
            {
                for (var i = 0; i < reducers.Length; i++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    var started = Stopwatch.GetTimestamp();
                    reducers[i].Apply(stored);
                    ticks[i] += Stopwatch.GetTimestamp() - started;
                    bytes[i] += GC.GetAllocatedBytesForCurrentThread() - before;
                }
            }
            Console.WriteLine($"round {round}: bytes allocated per event, {events.Length:N0} events");
            for (var i = 0; i < reducers.Length; i++) Console.WriteLine($"  {reducers[i].Name,-15} {bytes[i] / (double)events.Length,8:F1} B {Stopwatch.GetElapsedTime(0, ticks[i]).TotalMilliseconds,8:F0} ms");
            Console.WriteLine($"  GC pauses {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms, gen0/1/2 {GC.CollectionCount(0) - gcs.Item1}/{GC.CollectionCount(1) - gcs.Item2}/{GC.CollectionCount(2) - gcs.Item3}");
            Console.WriteLine($"  {"all",-15} {bytes.Sum() / (double)events.Length,8:F1}");
        }
        return 0;
    }
}
