using DataBuild.Events;
using DataBuild.Proto;
using static DataBuild.Events.NewEvent;

namespace DataBuild.Core.Tests.Events;

public class UpstreamEventTests
{
    private const string Id = "request-a";
    private const string Url = "http://127.0.0.1:8765";
    private const string Part = "reviews/date=2020-01-01";

    private readonly TransitionValidator _validator = new();
    private long _index;

    private void Apply(params BuildEvent[] events)
    {
        foreach (var e in events) e.EventId = Guid.NewGuid().ToString();
        _validator.ApplyBatch(events, firstIndex: ++_index);
        _index += events.Length;
    }

    private void Start() => Apply(
        Request(Id, BuildRequestStatus.BuildRequestReceived, [Part]),
        Request(Id, BuildRequestStatus.BuildRequestPlanning),
        Partition(Id, Part, PartitionStatus.PartitionRequested));

    [Fact]
    public void An_upstream_partition_made_available_may_be_recorded_available_without_a_job_run()
    {
        Start();
        Apply(
            Upstream(Id, [Part], UpstreamStatus.UpstreamRequested, Url, "up-1"),
            Upstream(Id, [Part], UpstreamStatus.UpstreamUnreachable, Url, message: "connection refused"),
            Upstream(Id, [Part], UpstreamStatus.UpstreamRequested, Url, "up-2"),
            Upstream(Id, [Part], UpstreamStatus.UpstreamWaiting, Url, "up-2"),
            Upstream(Id, [Part], UpstreamStatus.UpstreamAvailable, Url, "up-2", upstreamIndex: 42),
            Partition(Id, Part, PartitionStatus.PartitionAvailable));
    }

    [Fact]
    public void Available_without_the_upstream_saying_so_is_refused()
    {
        Start();
        Apply(Upstream(Id, [Part], UpstreamStatus.UpstreamRequested, Url, "up-1"), Upstream(Id, [Part], UpstreamStatus.UpstreamWaiting, Url, "up-1"));

        var error = Assert.Throws<InvalidEventException>(() => Apply(Partition(Id, Part, PartitionStatus.PartitionAvailable)));

        Assert.Contains("no job run of this log has built it", error.Message);
    }

    [Theory]
    [InlineData(UpstreamStatus.UpstreamAvailable, "not a valid next state")]
    [InlineData(UpstreamStatus.UpstreamWaiting, "not a valid next state")]
    public void An_upstream_wait_follows_its_state_machine(UpstreamStatus first, string why)
    {
        Start();

        var error = Assert.Throws<InvalidEventException>(() => Apply(Upstream(Id, [Part], first, Url, "up-1")));

        Assert.Contains(why, error.Message);
        Assert.Equal("UPSTREAM_UNKNOWN", error.Current);
    }

    [Fact]
    public void An_ask_needs_the_upstream_build_request_and_an_http_address()
    {
        Start();

        Assert.Contains("upstream_build_request_id is required",
            Assert.Throws<InvalidEventException>(() => Apply(Upstream(Id, [Part], UpstreamStatus.UpstreamRequested, Url))).Message);
        Assert.Contains("is not an http(s) address",
            Assert.Throws<InvalidEventException>(() => Apply(Upstream(Id, [Part], UpstreamStatus.UpstreamRequested, "file:///x", "up-1"))).Message);
    }
}
