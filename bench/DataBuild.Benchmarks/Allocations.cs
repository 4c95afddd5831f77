using DataBuild.Events;
using DataBuild.Views;

namespace DataBuild.Benchmarks;

/// <summary>
/// <c>--allocations</c>: the bytes each view and the validator allocate per event while folding the benchmark's
/// 1,000,000 parsed events (the fold of <c>Catalog.ReduceAllViews</c>, taken apart), so a change to one reducer's
/// allocations shows against the others. Two rounds: the first includes what the JIT allocates.
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
            foreach (var stored in events)
            {
                for (var i = 0; i < reducers.Length; i++)
                {
                    var before = GC.GetAllocatedBytesForCurrentThread();
                    reducers[i].Apply(stored);
                    bytes[i] += GC.GetAllocatedBytesForCurrentThread() - before;
                }
            }
            Console.WriteLine($"round {round}: bytes allocated per event, {events.Length:N0} events");
            for (var i = 0; i < reducers.Length; i++) Console.WriteLine($"  {reducers[i].Name,-15} {bytes[i] / (double)events.Length,8:F1}");
            Console.WriteLine($"  {"all",-15} {bytes.Sum() / (double)events.Length,8:F1}");
        }
        return 0;
    }
}
