using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Proto;
using DataBuild.Views;
using DataBuild.Wants;
using static DataBuild.Events.NewEvent;

namespace DataBuild.Core.Tests.Wants;

/// <summary>The wants reducer over a real log written by hand: the child wants that missing-dependency reports call for.</summary>
public sealed class WantsViewTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "databuild-wants-view-tests", Guid.NewGuid().ToString("N"));
    private readonly BuildEventLog _log;

    public WantsViewTests()
    {
        _log = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder));
    }

    public void Dispose()
    {
        _log.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private WantsView Wants()
    {
        var views = new BuildEventViews();
        views.Refresh(_log.Storage);
        return views.Wants;
    }

    private void StartRequest(string id, params string[] refs) => _log.Append(
        Request(id, BuildRequestStatus.BuildRequestReceived, refs),
        Request(id, BuildRequestStatus.BuildRequestPlanning),
        Request(id, BuildRequestStatus.BuildRequestAnalysisCompleted),
        Request(id, BuildRequestStatus.BuildRequestExecuting));

    private void ReportMissing(string request, string run, string job, string impacted, string missing) => _log.Append(
        Job(request, run, job, [impacted], JobStatus.JobScheduled),
        Job(request, run, job, [impacted], JobStatus.JobRunning),
        Job(request, run, job, [impacted], JobStatus.JobMissingDeps, j => j.MissingDeps.Add(new MissingDeps { Impacted = { Ref(impacted) }, Missing = { Ref(missing) } })));

    [Fact]
    public void A_missing_dependency_of_a_wanted_partition_proposes_one_child_want_however_often_it_is_reported()
    {
        _log.Append(WantEvents.Created("w1", ["a/1"], TimeSpan.FromHours(1), null, "me", "report"));
        StartRequest("r1", "a/1");
        ReportMissing("r1", "run-1", "a", "a/1", "b/1");
        ReportMissing("r1", "run-2", "a", "a/1", "b/1");

        var proposal = Assert.Single(Wants().Proposals);
        Assert.Equal(WantIds.Child("w1", "b/1"), proposal.WantId);
        Assert.Equal(("b/1", "w1", "w1", "r1"), (proposal.PartitionRef, proposal.ParentWantId, proposal.RootWantId, proposal.BuildRequestId));
        Assert.Equal(Wants().Get("w1")!.ExpiresAt, proposal.ExpiresAt);
        Assert.Contains("job a reported it missing while building a/1 (job run run-1)", proposal.Reason);
    }

    [Fact]
    public void Reports_chain_through_proposals_not_yet_recorded_and_recording_them_keeps_the_chain()
    {
        _log.Append(WantEvents.Created("w1", ["a/1"], null, null, "me", ""));
        StartRequest("r1", "a/1");
        ReportMissing("r1", "run-a", "a", "a/1", "b/1");
        ReportMissing("r1", "run-b", "b", "b/1", "c/1");

        var proposals = Wants().Proposals;
        Assert.Equal(["b/1", "c/1"], proposals.Select(p => p.PartitionRef));
        Assert.Equal(proposals[0].WantId, proposals[1].ParentWantId);
        Assert.All(proposals, p => Assert.Equal("w1", p.RootWantId));

        _log.Append(proposals.Select(p => WantEvents.Created(p.WantId, [p.PartitionRef], null, null, "reconciler", p.Reason, p.ParentWantId, p.RootWantId, p.BuildRequestId)).ToList());
        var wants = Wants();
        Assert.Empty(wants.Proposals);
        var child = Assert.Single(wants.ChildrenOf("w1"));
        var grandchild = Assert.Single(wants.ChildrenOf(child.WantId));
        Assert.Equal(["c/1"], grandchild.Partitions);
        Assert.Equal("r1", grandchild.BuildRequestId);
    }

    [Fact]
    public void An_upstream_found_by_configure_passes_its_missing_dependency_to_the_want_it_is_built_for()
    {
        _log.Append(WantEvents.Created("w1", ["m/1"], null, null, "me", ""));
        StartRequest("r1", "m/1");
        var graph = new JobGraph();
        graph.Nodes.Add(new Proto.Task
        {
            Job = new JobLabel { Label = "m" },
            Config = new JobConfig { Outputs = { Ref("m/1") }, Inputs = { new DataDep { DepType = DepType.Materialize, PartitionRef = Ref("a/1") } } },
        });
        _log.Append(Graph("r1", graph));
        ReportMissing("r1", "run-a", "a", "a/1", "b/1");

        var proposal = Assert.Single(Wants().Proposals);
        Assert.Equal(("b/1", "w1"), (proposal.PartitionRef, proposal.ParentWantId));
    }

    [Fact]
    public void Reports_for_partitions_no_active_want_needs_propose_nothing()
    {
        _log.Append(WantEvents.Created("w1", ["a/1"], null, null, "me", ""));
        _log.Append(WantEvents.Moved("w1", WantStatus.WantSatisfied, "done"));
        StartRequest("r1", "a/1", "other/1");
        ReportMissing("r1", "run-a", "a", "a/1", "b/1");
        ReportMissing("r1", "run-o", "other", "other/1", "b/1");

        Assert.Empty(Wants().Proposals);
    }

    [Fact]
    public void Proposals_go_when_the_want_they_were_for_ends()
    {
        _log.Append(WantEvents.Created("w1", ["a/1"], null, null, "me", ""));
        StartRequest("r1", "a/1");
        ReportMissing("r1", "run-a", "a", "a/1", "b/1");
        ReportMissing("r1", "run-b", "b", "b/1", "c/1");
        Assert.Equal(2, Wants().Proposals.Count);

        _log.Append(WantEvents.Moved("w1", WantStatus.WantCancelled, "changed my mind"));
        var wants = Wants();
        Assert.Empty(wants.Proposals);
        Assert.Equal(WantStatus.WantCancelled, wants.Get("w1")!.Status);
        Assert.Equal("changed my mind", wants.Get("w1")!.Message);
    }
}
