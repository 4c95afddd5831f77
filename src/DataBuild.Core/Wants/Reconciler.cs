using DataBuild.Engine;
using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Views;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Wants;

/// <summary>
/// The reconciliation loop (docs/wants.md), level-driven: each pass reads the wants from the BEL, records the
/// child wants that missing-dependency reports call for, settles wants (satisfied, SLA missed, expired),
/// asks one build for every partition the active wants still lack, and settles again. The engine batches
/// that build per job and delegates what another build is already building, so two reconcilers on one log
/// never build a partition twice. Everything a pass decides comes from the log, and everything it writes
/// has an id derived from what it is about, so a pass can be repeated, run twice at once, or cut short by a
/// kill and run again: the log ends the same. Time comes from the log's clock.
/// </summary>
public sealed class Reconciler
{
    /// <summary>The requested_by of the child wants a reconciler records.</summary>
    public const string RequestedBy = "databuild reconcile";

    private readonly BuildEngine _engine;
    private readonly BuildOptions _options;
    private readonly IProgress<BuildProgress>? _progress;
    private readonly RetryBackoff _backoff;
    private readonly BuildEventViews _views = new();
    private int _passes;

    /// <param name="options">How each pass builds; its BuildRequestId is ignored, as every pass starts its own build request.</param>
    /// <param name="progress">Receives the progress of each pass's build.</param>
    /// <param name="backoff">How long a partition whose builds failed is left alone; <see cref="RetryBackoff.Default"/> when null.</param>
    public Reconciler(BuildEngine engine, BuildOptions options, IProgress<BuildProgress>? progress = null, RetryBackoff? backoff = null)
    {
        _engine = engine;
        _options = options with { BuildRequestId = null };
        _progress = progress;
        _backoff = backoff ?? RetryBackoff.Default;
    }

    private BuildEventLog Log => _engine.Log;

    public async Task<ReconcilePass> RunPassAsync(CancellationToken cancellationToken = default)
    {
        var number = ++_passes;
        var recorded = new Dictionary<WantStatus, int>();
        Settle(recorded);

        var byJob = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var unbuildable = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var deferred = new SortedDictionary<string, DeferredRetry>(StringComparer.Ordinal);
        var now = Log.Clock.GetUtcNow();
        var wanted = _views.Wants.Active.SelectMany(w => WantRules.Missing(w, _views.Catalog)).Distinct(StringComparer.Ordinal).ToArray();
        foreach (var partition in wanted)
        {
            if (_backoff.Deferral(_views.Catalog.Get(partition), now) is { } deferral)
            {
                deferred[partition] = deferral;
                continue;
            }
            try
            {
                var job = _engine.Lookup.Match(partition).Job.Label;
                if (!byJob.TryGetValue(job, out var refs)) byJob[job] = refs = [];
                refs.Add(partition);
            }
            catch (LookupException e)
            {
                unbuildable[partition] = e.Problems[0].Message;
            }
        }

        BuildResult? build = null;
        var buildError = "";
        if (byJob.Count > 0)
        {
            try
            {
                var buildable = byJob.Values.SelectMany(refs => refs).ToArray();
                build = await _engine.BuildAsync(buildable, _options, new ChildWantRecorder(this, recorded), cancellationToken);
            }
            catch (Exception e) when (e is ConfigureFailedException or GraphCycleException or LookupException)
            {
                // Recorded in the log as a failed build request; the wants stay active and the next pass tries again.
                buildError = e.Message;
            }
            Settle(recorded);
        }
        ViewSnapshots.WriteIfDue(Log, _views);
        return new ReconcilePass(number, _views.Wants.Active.Count(),
            byJob.ToDictionary(g => g.Key, g => (IReadOnlyList<string>)g.Value, StringComparer.Ordinal),
            unbuildable, deferred, build, buildError, recorded);
    }

    /// <summary>Runs a pass, hands it to <paramref name="onPass"/>, waits <paramref name="interval"/>, and again, until cancelled.</summary>
    public async Task RunAsync(TimeSpan interval, Action<ReconcilePass> onPass, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            onPass(await RunPassAsync(cancellationToken));
            try
            {
                await Task.Delay(interval, Log.Clock, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Settle(Dictionary<WantStatus, int> recorded)
    {
        _views.Refresh(Log);
        RecordChildWants(recorded);
        var now = Log.Clock.GetUtcNow();
        // In creation order, refreshing after each write, so a child sees a parent cancelled just before it.
        foreach (var want in _views.Wants.Active.ToArray())
        {
            var due = WantRules.Due(want, _views.Wants, _views.Catalog, now);
            if (due.Count == 0) continue;
            try
            {
                Log.Append(due);
                foreach (var e in due) Count(recorded, e.WantEvent.Status);
            }
            catch (InvalidEventException)
            {
                // Another reconciler ended the want first, the other way (say, EXPIRED against our SATISFIED).
                _views.Refresh(Log);
                if (want.IsActive) throw;
            }
            _views.Refresh(Log);
        }
    }

    private void RecordChildWants(Dictionary<WantStatus, int> recorded)
    {
        var now = Log.Clock.GetUtcNow();
        // A child inherits what is left of its parent's TTL; one whose parent is due to expire is not worth recording.
        var events = _views.Wants.Proposals
            .Where(p => !(p.ExpiresAt <= now))
            .Select(p => WantEvents.Created(p.WantId, [p.PartitionRef], p.ExpiresAt - now, sla: null, RequestedBy, p.Reason,
                p.ParentWantId, p.RootWantId, p.BuildRequestId))
            .ToList();
        if (events.Count == 0) return;
        Log.Append(events);
        Count(recorded, WantStatus.WantCreated, events.Count);
        _views.Refresh(Log);
    }

    private static void Count(Dictionary<WantStatus, int> recorded, WantStatus status, int n = 1) =>
        recorded[status] = recorded.GetValueOrDefault(status) + n;

    /// <summary>Records child wants as soon as a job of the pass's build reports missing dependencies, so the chain shows while the build runs.</summary>
    private sealed class ChildWantRecorder(Reconciler reconciler, Dictionary<WantStatus, int> recorded) : IProgress<BuildProgress>
    {
        public void Report(BuildProgress value)
        {
            reconciler._progress?.Report(value);
            if (value.Kind != BuildProgressKind.JobMissingDeps) return;
            reconciler._views.Refresh(reconciler.Log);
            reconciler.RecordChildWants(recorded);
        }
    }
}
