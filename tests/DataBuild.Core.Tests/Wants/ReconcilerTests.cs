using DataBuild.Events;
using DataBuild.Graphs;
using DataBuild.Proto;
using DataBuild.Views;
using DataBuild.Wants;
using Task = System.Threading.Tasks.Task;

namespace DataBuild.Core.Tests.Wants;

/// <summary>Reconcile passes over bash jobs, with time moved by a fake clock.</summary>
public sealed class ReconcilerTests : IDisposable
{
    private readonly WantsGraph _graph = new();

    public void Dispose() => _graph.Dispose();

    private string Want(string[] refs, TimeSpan? ttl = null, TimeSpan? sla = null) =>
        WantCommands.Create(_graph.Workspace.Engine, new WantRequest(refs, ttl, sla, "tester", "a test"));

    private Reconciler NewReconciler() => new(_graph.Workspace.Engine, _graph.Options);

    private BuildEventViews Views() => _graph.Workspace.Views();

    private WantReport Report(string wantId)
    {
        var views = Views();
        return WantReport.Of(views.Wants.Get(wantId)!, views.Catalog, _graph.Workspace.Engine.Lookup, _graph.Clock.GetUtcNow());
    }

    private List<WantStatus> EventsOf(string wantId) =>
        _graph.Workspace.Log.ReadAll(filter: new EventFilter { WantIds = { wantId } })
            .Where(e => e.Event.WantEvent.WantId == wantId)
            .Select(e => e.Event.WantEvent.Status)
            .ToList();

    [Fact]
    public async Task One_pass_builds_what_a_want_lacks_and_marks_it_satisfied()
    {
        var id = Want(["ok/1", "ok/2"]);
        var reconciler = NewReconciler();

        var pass = await reconciler.RunPassAsync();

        Assert.True(pass.Build!.Succeeded);
        Assert.Equal(["ok/1", "ok/2"], pass.BuildsByJob["ok"]);
        Assert.Equal(1, pass.Count(WantStatus.WantSatisfied));
        Assert.Equal(0, pass.ActiveWants);
        Assert.Equal(WantState.Satisfied, Report(id).State);
        var again = await reconciler.RunPassAsync();
        Assert.Null(again.Build);
        Assert.Empty(again.Recorded);
        Assert.Equal(2, _graph.Runs().Count);
    }

    [Fact]
    public async Task Missing_dependency_reports_grow_a_chain_of_child_wants_that_one_pass_satisfies()
    {
        var root = Want(["a/1"], ttl: TimeSpan.FromDays(1));

        var pass = await NewReconciler().RunPassAsync();

        Assert.True(pass.Build!.Succeeded, pass.Build!.Message);
        Assert.Equal(2, pass.Count(WantStatus.WantCreated));
        Assert.Equal(3, pass.Count(WantStatus.WantSatisfied));
        var wants = Views().Wants;
        var child = Assert.Single(wants.ChildrenOf(root));
        var grandchild = Assert.Single(wants.ChildrenOf(child.WantId));
        Assert.Equal(("b/1", WantIds.Child(root, "b/1"), root, root), (Assert.Single(child.Partitions), child.WantId, child.ParentWantId, child.RootWantId));
        Assert.Equal(("c/1", WantIds.Child(child.WantId, "c/1"), child.WantId, root),
            (Assert.Single(grandchild.Partitions), grandchild.WantId, grandchild.ParentWantId, grandchild.RootWantId));
        Assert.Equal(Reconciler.RequestedBy, grandchild.RequestedBy);
        Assert.Contains("job b reported it missing while building b/1", grandchild.Reason);
        Assert.Equal(pass.Build.BuildRequestId, grandchild.BuildRequestId);
        Assert.InRange(grandchild.ExpiresAt!.Value - wants.Get(root)!.ExpiresAt!.Value, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.All(wants.All, w => Assert.Equal(WantStatus.WantSatisfied, w.Status));
    }

    [Fact]
    public async Task A_fresh_reconciler_derives_the_same_child_wants_and_writes_nothing_twice()
    {
        Want(["a/1"]);
        await NewReconciler().RunPassAsync();
        var events = _graph.Workspace.Log.ReadAll().Count();

        var pass = await NewReconciler().RunPassAsync();

        Assert.Empty(pass.Recorded);
        Assert.Null(pass.Build);
        Assert.Equal(events, _graph.Workspace.Log.ReadAll().Count());
        Assert.Equal(3, Views().Wants.All.Count);
    }

    [Fact]
    public async Task A_configure_time_upstream_that_reports_missing_deps_gives_the_want_it_serves_a_child()
    {
        var root = Want(["m/1"]);

        var pass = await NewReconciler().RunPassAsync();

        Assert.True(pass.Build!.Succeeded, pass.Build!.Message);
        var wants = Views().Wants;
        var child = Assert.Single(wants.ChildrenOf(root));
        Assert.Equal(["b/1"], child.Partitions);
        Assert.Equal(["c/1"], Assert.Single(wants.ChildrenOf(child.WantId)).Partitions);
    }

    [Fact]
    public async Task A_failing_want_stays_active_with_the_reason_and_a_pass_after_the_backoff_tries_again()
    {
        var root = Want(["x/1"]);
        var reconciler = NewReconciler();

        var pass = await reconciler.RunPassAsync();

        Assert.True(pass.BuildFailed);
        Assert.Equal(2, _graph.Runs().Count(r => r == "fail/1"));
        var report = Report(root);
        Assert.Equal(WantState.Active, report.State);
        Assert.True(report.Failing);
        Assert.Contains("x/1: upstream fail/1 failed", report.Note);
        var child = Report(Assert.Single(Views().Wants.ChildrenOf(root)).WantId);
        Assert.True(child.Failing);
        Assert.Equal("fail/1: exit code 1: boom", child.Note);

        var waiting = await reconciler.RunPassAsync();
        Assert.Null(waiting.Build);
        Assert.Equal(["fail/1", "x/1"], waiting.Deferred.Keys);
        Assert.Equal(2, _graph.Runs().Count(r => r == "fail/1"));

        _graph.Clock.Advance(RetryBackoff.Default.First);
        await reconciler.RunPassAsync();
        Assert.Equal(4, _graph.Runs().Count(r => r == "fail/1"));
        Assert.Equal(2, Views().Wants.Active.Count());
    }

    [Fact]
    public async Task Each_further_failed_build_doubles_the_wait_up_to_the_cap_and_a_build_that_succeeds_starts_the_count_again()
    {
        Want(["fail/1"]);
        var reconciler = new Reconciler(_graph.Workspace.Engine, _graph.Options, backoff: new RetryBackoff(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(3)));
        TimeSpan WaitAfterLastFailure(ReconcilePass pass) =>
            pass.Deferred["fail/1"].RetryAt - BuildEventLog.FromUnixNanos(Views().Catalog.Get("fail/1")!.Failures!.LastFailedAt);

        Assert.True((await reconciler.RunPassAsync()).BuildFailed);
        var afterOne = await reconciler.RunPassAsync();
        Assert.Equal((1, TimeSpan.FromMinutes(1)), (afterOne.Deferred["fail/1"].FailedBuilds, WaitAfterLastFailure(afterOne)));
        _graph.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await reconciler.RunPassAsync()).BuildFailed);
        var afterTwo = await reconciler.RunPassAsync();
        Assert.Equal((2, TimeSpan.FromMinutes(2)), (afterTwo.Deferred["fail/1"].FailedBuilds, WaitAfterLastFailure(afterTwo)));
        _graph.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Null((await reconciler.RunPassAsync()).Build);
        _graph.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True((await reconciler.RunPassAsync()).BuildFailed);
        var afterThree = await reconciler.RunPassAsync();
        Assert.Equal((3, TimeSpan.FromMinutes(3)), (afterThree.Deferred["fail/1"].FailedBuilds, WaitAfterLastFailure(afterThree)));
        // Retries inside one build are one failed build: the job has one retry, so two runs per build.
        Assert.Equal(6, _graph.Runs().Count(r => r == "fail/1"));

        _graph.Heal();
        var manual = await _graph.Workspace.Engine.BuildAsync(["fail/1"], _graph.Options);
        Assert.True(manual.Succeeded);
        Assert.Null(Views().Catalog.Get("fail/1")!.Failures);
        var satisfied = await reconciler.RunPassAsync();
        Assert.Empty(satisfied.Deferred);
        Assert.Equal(1, satisfied.Count(WantStatus.WantSatisfied));
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 20)]
    [InlineData(3, 40)]
    [InlineData(4, 60)]
    [InlineData(50, 60)]
    public void The_wait_doubles_with_each_failed_build_up_to_the_cap(int failedBuilds, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), new RetryBackoff(TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)).Wait(failedBuilds));

    [Fact]
    public async Task An_unsatisfied_want_misses_its_SLA_once_then_expires_with_its_TTL_and_is_no_longer_built()
    {
        var id = Want(["fail/1"], ttl: TimeSpan.FromHours(2), sla: TimeSpan.FromHours(1));
        var reconciler = NewReconciler();
        await reconciler.RunPassAsync();
        Assert.Equal([WantStatus.WantCreated], EventsOf(id));

        _graph.Clock.Advance(TimeSpan.FromMinutes(61));
        var missed = await reconciler.RunPassAsync();
        await reconciler.RunPassAsync();
        Assert.Equal(1, missed.Count(WantStatus.WantSlaMissed));
        Assert.Equal([WantStatus.WantCreated, WantStatus.WantSlaMissed], EventsOf(id));
        Assert.Equal((WantState.Active, SlaState.Missed), (Report(id).State, Report(id).Sla));
        Assert.Equal("not satisfied within its SLA of 1h; missing fail/1", Views().Wants.Get(id)!.SlaMissedMessage);

        _graph.Clock.Advance(TimeSpan.FromHours(1));
        var runs = _graph.Runs().Count;
        var expired = await reconciler.RunPassAsync();
        Assert.Equal(1, expired.Count(WantStatus.WantExpired));
        Assert.Null(expired.Build);
        Assert.Equal(runs, _graph.Runs().Count);
        Assert.Equal([WantStatus.WantCreated, WantStatus.WantSlaMissed, WantStatus.WantExpired], EventsOf(id));
        Assert.Equal((WantState.Expired, SlaState.Missed), (Report(id).State, Report(id).Sla));
    }

    [Fact]
    public async Task A_want_past_both_deadlines_records_the_SLA_miss_before_it_expires()
    {
        var id = Want(["fail/1"], ttl: TimeSpan.FromHours(2), sla: TimeSpan.FromHours(1));
        _graph.Clock.Advance(TimeSpan.FromHours(3));

        await NewReconciler().RunPassAsync();

        Assert.Equal([WantStatus.WantCreated, WantStatus.WantSlaMissed, WantStatus.WantExpired], EventsOf(id));
        Assert.Empty(_graph.Runs());
    }

    [Fact]
    public async Task A_want_met_by_another_build_after_its_SLA_deadline_records_the_miss_before_it_is_satisfied()
    {
        var id = Want(["ok/1"], sla: TimeSpan.FromHours(1));
        _graph.Clock.Advance(TimeSpan.FromHours(2));
        Assert.True((await _graph.Workspace.Engine.BuildAsync(["ok/1"], _graph.Options)).Succeeded);

        var pass = await NewReconciler().RunPassAsync();

        Assert.Null(pass.Build);
        Assert.Equal([WantStatus.WantCreated, WantStatus.WantSlaMissed, WantStatus.WantSatisfied], EventsOf(id));
        // The test clock runs on from where it was advanced to, so a build slowed by a loaded machine adds its seconds.
        Assert.Matches(@"^satisfied 1h(\d+s)? after its SLA of 1h$", Views().Wants.Get(id)!.SlaMissedMessage);
        Assert.Equal((WantState.Satisfied, SlaState.Missed), (Report(id).State, Report(id).Sla));
    }

    [Fact]
    public async Task A_want_satisfied_in_time_keeps_its_SLA()
    {
        var id = Want(["ok/1"], sla: TimeSpan.FromHours(1));

        await NewReconciler().RunPassAsync();

        Assert.Equal([WantStatus.WantCreated, WantStatus.WantSatisfied], EventsOf(id));
        Assert.Equal(SlaState.OnTime, Report(id).Sla);
    }

    [Fact]
    public void The_SLA_is_at_risk_in_its_last_fifth_or_while_a_partition_fails()
    {
        var id = Want(["ok/1"], sla: TimeSpan.FromHours(10));
        Assert.Equal(SlaState.OnTime, Report(id).Sla);
        Assert.Equal("waiting for ok/1", Report(id).Note);

        _graph.Clock.Advance(TimeSpan.FromHours(8.5));
        Assert.Equal(SlaState.AtRisk, Report(id).Sla);

        _graph.Clock.Advance(TimeSpan.FromHours(1.5));
        Assert.Equal(SlaState.Missed, Report(id).Sla);
    }

    [Fact]
    public async Task A_failing_partition_puts_the_SLA_at_risk_at_once()
    {
        var id = Want(["fail/1"], sla: TimeSpan.FromHours(10));

        await NewReconciler().RunPassAsync();

        Assert.Equal((SlaState.AtRisk, true), (Report(id).Sla, Report(id).Failing));
    }

    [Fact]
    public async Task Cancelling_a_want_cancels_the_child_wants_that_exist_for_it()
    {
        var root = Want(["x/1"]);
        await NewReconciler().RunPassAsync();
        var views = Views();
        var child = Assert.Single(views.Wants.ChildrenOf(root));

        var cancelled = WantCommands.Cancel(_graph.Workspace.Log, views.Wants, root, "not needed");

        Assert.Equal([root, child.WantId], cancelled);
        var wants = Views().Wants;
        Assert.Equal("not needed", wants.Get(root)!.Message);
        Assert.Equal($"its ancestor want {root} was cancelled", wants.Get(child.WantId)!.Message);
        var pass = await NewReconciler().RunPassAsync();
        Assert.Null(pass.Build);
        var again = Assert.Throws<ArgumentException>(() => WantCommands.Cancel(_graph.Workspace.Log, wants, root, "again"));
        Assert.Equal($"want {root} is already cancelled", again.Message);
    }

    [Fact]
    public async Task A_child_recorded_after_its_parent_was_cancelled_is_cancelled_by_the_next_pass()
    {
        var root = Want(["fail/1"]);
        var child = WantIds.Child(root, "fail/2");
        _graph.Workspace.Log.Append(
            WantEvents.Moved(root, WantStatus.WantCancelled, "not needed"),
            WantEvents.Created(child, ["fail/2"], null, null, Reconciler.RequestedBy, "a late report", root, root));

        var pass = await NewReconciler().RunPassAsync();

        Assert.Null(pass.Build);
        Assert.Equal(1, pass.Count(WantStatus.WantCancelled));
        Assert.Equal($"its parent want {root} was cancelled", Views().Wants.Get(child)!.Message);
    }

    [Fact]
    public void A_want_is_refused_before_anything_is_written_when_no_job_produces_a_ref_or_its_SLA_outlasts_its_TTL()
    {
        var unknown = Assert.Throws<LookupException>(() => Want(["nope/1"]));
        Assert.Contains("no job produces 'nope/1'", unknown.Message);
        var late = Assert.Throws<ArgumentException>(() => Want(["ok/1"], ttl: TimeSpan.FromHours(1), sla: TimeSpan.FromHours(2)));
        Assert.Contains("the SLA (2h) is longer than the TTL (1h)", late.Message);
        Assert.Empty(_graph.Workspace.Log.ReadAll());
    }
}
