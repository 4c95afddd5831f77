using DataBuild.Events;
using DataBuild.Proto;
using static DataBuild.Events.NewEvent;

namespace DataBuild.Core.Tests.Events;

public class TransitionValidatorTests
{
    private const string A = "request-a";
    private const string B = "request-b";
    private const string Part = "reviews/date=2020-01-01";

    private readonly TransitionValidator _validator = new();

    private void Apply(params BuildEvent[] events)
    {
        var n = 0;
        foreach (var e in events) e.EventId = $"{Guid.NewGuid()}-{n++}";
        _validator.ApplyBatch(events, firstIndex: 1);
    }

    private static BuildEvent[] StartRequest(string id) =>
    [
        Request(id, BuildRequestStatus.BuildRequestReceived, [Part]),
        Request(id, BuildRequestStatus.BuildRequestPlanning),
        Request(id, BuildRequestStatus.BuildRequestAnalysisCompleted),
        Request(id, BuildRequestStatus.BuildRequestExecuting),
        Partition(id, Part, PartitionStatus.PartitionRequested),
        Partition(id, Part, PartitionStatus.PartitionAnalyzed),
    ];

    private static BuildEvent[] StartRun(string request, string run) =>
    [
        Job(request, run, "extract", [Part], JobStatus.JobScheduled),
        Partition(request, Part, PartitionStatus.PartitionBuilding, run),
        Job(request, run, "extract", [Part], JobStatus.JobRunning),
    ];

    private static BuildEvent[] FinishRun(string request, string run) =>
    [
        Job(request, run, "extract", [Part], JobStatus.JobCompleted),
        Partition(request, Part, PartitionStatus.PartitionAvailable, run),
    ];

    [Fact]
    public void A_whole_build_is_accepted()
    {
        Apply([.. StartRequest(A), .. StartRun(A, "run-1"), .. FinishRun(A, "run-1"), Request(A, BuildRequestStatus.BuildRequestCompleted)]);
    }

    [Fact]
    public void A_refusal_names_the_entity_the_current_state_and_the_refused_one()
    {
        Apply([.. StartRequest(A), .. StartRun(A, "run-1"), .. FinishRun(A, "run-1")]);
        var error = Assert.Throws<InvalidEventException>(() => Apply(Partition(A, Part, PartitionStatus.PartitionRequested)));
        Assert.Contains($"partition {Part}", error.Message);
        Assert.Equal("PARTITION_AVAILABLE", error.Current);
        Assert.Equal("PARTITION_REQUESTED", error.Refused);
    }

    [Fact]
    public void A_skipped_job_run_is_refused_no_writer_records_one()
    {
        Apply(StartRequest(A));

        var error = Assert.Throws<InvalidEventException>(() => Apply(Job(A, "run-1", "extract", [Part], JobStatus.JobSkipped)));

        Assert.Equal("JOB_UNKNOWN", error.Current);
        Assert.Equal("JOB_SKIPPED", error.Refused);
    }

    [Fact]
    public void A_refused_batch_leaves_no_trace()
    {
        Apply(StartRequest(A));
        var scheduled = Job(A, "run-1", "extract", [Part], JobStatus.JobScheduled);
        Assert.Throws<InvalidEventException>(() => Apply(scheduled, Job(A, "run-1", "extract", [Part], JobStatus.JobCompleted)));
        // Had the first event of the refused batch been kept, scheduling the same run again would be refused.
        Apply(Job(A, "run-1", "extract", [Part], JobStatus.JobScheduled));
    }

    [Fact]
    public void A_partition_is_built_by_one_live_request_at_a_time()
    {
        Apply([.. StartRequest(A), .. StartRun(A, "run-a")]);
        Apply([.. StartRequest(B), Job(B, "run-b", "extract", [Part], JobStatus.JobScheduled)]);

        var error = Assert.Throws<PartitionAlreadyBuildingException>(() => Apply(Partition(B, Part, PartitionStatus.PartitionBuilding, "run-b")));
        Assert.Equal(A, error.OwnerBuildRequestId);
        Assert.Equal("run-a", error.OwnerJobRunId);

        Apply(Delegation(B, Part, A, "run-a"));
        Apply(FinishRun(A, "run-a"));
        Apply(Partition(B, Part, PartitionStatus.PartitionAvailable));
    }

    [Fact]
    public void After_a_build_finishes_another_request_may_rebuild_the_partition()
    {
        Apply([.. StartRequest(A), .. StartRun(A, "run-a"), .. FinishRun(A, "run-a"), Request(A, BuildRequestStatus.BuildRequestCompleted)]);
        Apply([.. StartRequest(B), .. StartRun(B, "run-b")]);
    }

    [Fact]
    public void A_request_cannot_finish_while_a_partition_is_still_building()
    {
        Apply([.. StartRequest(A), .. StartRun(A, "run-a")]);
        var error = Assert.Throws<InvalidEventException>(() => Apply(
            Job(A, "run-a", "extract", [Part], JobStatus.JobCancelled),
            Request(A, BuildRequestStatus.BuildRequestCancelled)));
        Assert.Contains("still BUILDING", error.Message);

        Apply(
            Job(A, "run-a", "extract", [Part], JobStatus.JobCancelled),
            Partition(A, Part, PartitionStatus.PartitionCancelled, "run-a"),
            Request(A, BuildRequestStatus.BuildRequestCancelled));
    }

    [Fact]
    public void A_request_cannot_finish_while_a_job_run_is_live()
    {
        Apply([.. StartRequest(A), Job(A, "run-a", "extract", [Part], JobStatus.JobScheduled)]);
        var error = Assert.Throws<InvalidEventException>(() => Apply(Request(A, BuildRequestStatus.BuildRequestFailed)));
        Assert.Contains("run-a", error.Message);
    }

    [Fact]
    public void A_partition_becomes_available_only_through_its_completed_run()
    {
        Apply([.. StartRequest(A), .. StartRun(A, "run-a")]);
        Assert.Throws<InvalidEventException>(() => Apply(Partition(A, Part, PartitionStatus.PartitionAvailable, "run-a")));
        Assert.Throws<InvalidEventException>(() => Apply(
            Job(A, "run-a", "extract", [Part], JobStatus.JobCompleted),
            Partition(A, Part, PartitionStatus.PartitionAvailable, "another-run")));
        Apply(FinishRun(A, "run-a"));
    }

    [Fact]
    public void A_failed_attempt_is_retried_as_a_new_run()
    {
        Apply([.. StartRequest(A), .. StartRun(A, "run-1")]);
        Apply(Job(A, "run-1", "extract", [Part], JobStatus.JobFailed), Partition(A, Part, PartitionStatus.PartitionFailed, "run-1"));
        Assert.Throws<InvalidEventException>(() => Apply(Job(A, "run-1", "extract", [Part], JobStatus.JobRunning)));
        Apply([.. StartRun(A, "run-2"), .. FinishRun(A, "run-2")]);
    }

    [Fact]
    public void Job_runs_stay_with_their_request_and_job()
    {
        Apply([.. StartRequest(A), .. StartRequest(B), Job(A, "run-a", "extract", [Part], JobStatus.JobScheduled)]);
        Assert.Throws<InvalidEventException>(() => Apply(Job(B, "run-a", "extract", [Part], JobStatus.JobRunning)));
        Assert.Throws<InvalidEventException>(() => Apply(Job(A, "run-a", "other", [Part], JobStatus.JobRunning)));
    }

    [Fact]
    public void Nothing_is_accepted_for_a_finished_or_unknown_request()
    {
        Apply([.. StartRequest(A), .. StartRun(A, "run-a"), .. FinishRun(A, "run-a"), Request(A, BuildRequestStatus.BuildRequestCompleted)]);
        var late = Assert.Throws<InvalidEventException>(() => Apply(Partition(A, "other/x", PartitionStatus.PartitionRequested)));
        Assert.Contains("already BUILD_REQUEST_COMPLETED", late.Message);
        var unknown = Assert.Throws<InvalidEventException>(() => Apply(Partition("nobody", "other/x", PartitionStatus.PartitionRequested)));
        Assert.Contains("never received", unknown.Message);
    }

    [Fact]
    public void Malformed_events_are_refused()
    {
        Apply(StartRequest(A));
        Assert.Throws<InvalidEventException>(() => _validator.ApplyBatch([Request(B, BuildRequestStatus.BuildRequestReceived)], firstIndex: 1));
        Assert.Throws<InvalidEventException>(() => Apply(new BuildEvent { BuildRequestId = A }));
        Assert.Throws<InvalidEventException>(() => Apply(Partition(A, "bad ref", PartitionStatus.PartitionRequested)));
        Assert.Throws<InvalidEventException>(() => Apply(Partition(A, "x/y", PartitionStatus.PartitionStale)));
        Assert.Throws<InvalidEventException>(() => Apply(Partition(A, "x/y", PartitionStatus.PartitionDelegated)));
        Assert.Throws<InvalidEventException>(() => Apply(Delegation(A, "x/y", A, "")));
        var future = Request(B, BuildRequestStatus.BuildRequestReceived);
        future.SchemaVersion = EventSchema.CurrentVersion + 1;
        var error = Assert.Throws<InvalidEventException>(() => Apply(future));
        Assert.Contains("upgrade", error.Message);
    }

    [Fact]
    public void Wants_follow_their_lifecycle()
    {
        var created = new BuildEvent { WantEvent = new WantEvent { WantId = "w1", Status = WantStatus.WantCreated, Partitions = { Ref(Part) }, SlaSeconds = 60 } };
        Apply(created);
        Apply(new BuildEvent { WantEvent = new WantEvent { WantId = "w1", Status = WantStatus.WantSlaMissed } });
        Assert.Throws<InvalidEventException>(() => Apply(new BuildEvent { WantEvent = new WantEvent { WantId = "w1", Status = WantStatus.WantSlaMissed } }));
        Apply(new BuildEvent { WantEvent = new WantEvent { WantId = "w1", Status = WantStatus.WantSatisfied } });
        Assert.Throws<InvalidEventException>(() => Apply(new BuildEvent { WantEvent = new WantEvent { WantId = "w1", Status = WantStatus.WantCancelled } }));
        var orphan = Assert.Throws<InvalidEventException>(() => Apply(new BuildEvent
        {
            WantEvent = new WantEvent { WantId = "w2", Status = WantStatus.WantCreated, Partitions = { Ref(Part) }, ParentWantId = "missing" },
        }));
        Assert.Contains("parent want missing", orphan.Message);
    }

    [Fact]
    public void Committed_events_that_break_the_rules_are_skipped_not_thrown()
    {
        _validator.ApplyCommitted(Partition("ghost", Part, PartitionStatus.PartitionBuilding, "x").WithId("e1"), index: 1);
        Apply(StartRequest(A));
    }
}

internal static class EventTestExtensions
{
    public static BuildEvent WithId(this BuildEvent e, string id)
    {
        e.EventId = id;
        return e;
    }
}
