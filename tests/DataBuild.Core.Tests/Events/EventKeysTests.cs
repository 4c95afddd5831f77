using DataBuild.Events;
using DataBuild.Proto;

namespace DataBuild.Core.Tests.Events;

public sealed class EventKeysTests
{
    [Fact]
    public void A_partition_event_gives_its_ref_job_run_and_build_request()
    {
        var keys = EventKeys.Of(TestEvents.Partition("e", "reviews/date=2020-01-01", "br-1", jobRunId: "run-1"));

        Assert.Equal(["reviews/date=2020-01-01"], keys.PartitionRefs);
        Assert.Equal("run-1", keys.JobRunId);
        Assert.Equal("br-1", keys.BuildRequestId);
        Assert.Null(keys.JobLabel);
        Assert.Empty(keys.WantIds);
    }

    [Fact]
    public void A_job_event_gives_its_label_run_and_each_target_once()
    {
        var keys = EventKeys.Of(TestEvents.Job("e", "extract", "run-2", "br-1", "a/1", "a/2", "a/1"));

        Assert.Equal(["a/1", "a/2"], keys.PartitionRefs);
        Assert.Equal("extract", keys.JobLabel);
        Assert.Equal("run-2", keys.JobRunId);
    }

    [Fact]
    public void A_delegation_gives_the_job_run_it_waits_for()
    {
        var keys = EventKeys.Of(TestEvents.Delegation("e", "a/1", "run-3"));

        Assert.Equal(["a/1"], keys.PartitionRefs);
        Assert.Equal("run-3", keys.JobRunId);
    }

    [Fact]
    public void A_build_request_gives_its_requested_partitions()
    {
        var keys = EventKeys.Of(TestEvents.Request("e", "br-9", "a/1", "b/2"));

        Assert.Equal(["a/1", "b/2"], keys.PartitionRefs);
        Assert.Equal("br-9", keys.BuildRequestId);
    }

    [Fact]
    public void A_want_gives_itself_its_parent_and_its_root_once_each_and_no_empty_build_request()
    {
        var keys = EventKeys.Of(TestEvents.Want("e", "want-b", parentWantId: "want-a", rootWantId: "want-a", partitions: "a/1"));

        Assert.Equal(["want-b", "want-a"], keys.WantIds);
        Assert.Equal(["a/1"], keys.PartitionRefs);
        Assert.Null(keys.BuildRequestId);
    }

    [Fact]
    public void Empty_values_are_not_keys()
    {
        var buildEvent = new BuildEvent { EventId = "e", JobEvent = new JobEvent { JobLabel = new JobLabel(), TargetPartitions = { new PartitionRef() } } };

        var keys = EventKeys.Of(buildEvent);

        Assert.Empty(keys.PartitionRefs);
        Assert.Null(keys.JobLabel);
        Assert.Null(keys.JobRunId);
        Assert.Null(keys.BuildRequestId);
    }
}
