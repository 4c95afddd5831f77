using DataBuild.Engine;
using DataBuild.Proto;

namespace DataBuild.Core.Tests.Engine;

/// <summary>A build followed from its events in the log shows the progress and result a local build reports.</summary>
public class BuildFollowerTests
{
    private const string Id = "01a23479-a0a8-765b-adcf-83b44cec020f";

    private sealed class Collected : IProgress<BuildProgress>
    {
        public List<BuildProgress> Reports { get; } = [];

        public void Report(BuildProgress value) => Reports.Add(value);
    }

    private static StoredEvent Event(long index, Action<BuildEvent> fill, string request = Id)
    {
        var e = new BuildEvent { EventId = $"e{index}", Timestamp = index * 1_000_000_000, BuildRequestId = request };
        fill(e);
        return new StoredEvent { Index = index, Event = e };
    }

    private static StoredEvent Request(long index, BuildRequestStatus status, params string[] refs) =>
        Event(index, e => e.BuildRequestEvent = new BuildRequestEvent { Status = status, RequestedPartitions = { refs.Select(r => new PartitionRef { Str = r }) } });

    private static StoredEvent Job(long index, string run, JobStatus status, string target, Action<JobEvent>? fill = null) => Event(index, e =>
    {
        e.JobEvent = new JobEvent { JobRunId = run, JobLabel = new JobLabel { Label = "j" }, Status = status, TargetPartitions = { new PartitionRef { Str = target } } };
        fill?.Invoke(e.JobEvent);
    });

    private static StoredEvent Partition(long index, string partitionRef, PartitionStatus status, string run = "", string message = "") =>
        Event(index, e => e.PartitionEvent = new PartitionEvent { PartitionRef = new PartitionRef { Str = partitionRef }, Status = status, JobRunId = run, Message = message });

    private static StoredEvent Graph(long index, params string[] outputs) => Event(index, e => e.JobGraphEvent = new JobGraphEvent
    {
        JobGraph = new JobGraph { Nodes = { outputs.Select(o => new Proto.Task { Job = new JobLabel { Label = "j" }, Config = new JobConfig { Outputs = { new PartitionRef { Str = o } } } }) } },
    });

    [Fact]
    public void A_retried_run_a_failure_upstream_and_the_end_read_as_a_local_build_reports_them()
    {
        var progress = new Collected();
        var follower = new BuildFollower(Id, progress);
        StoredEvent[] events =
        [
            Request(1, BuildRequestStatus.BuildRequestReceived, "a/1", "b/1", "c/1"),
            Graph(2, "a/1", "b/1"),
            Partition(3, "c/1", PartitionStatus.PartitionAvailable, message: "already available"),
            Request(4, BuildRequestStatus.BuildRequestAnalysisCompleted),
            Job(5, "r1", JobStatus.JobScheduled, "a/1", j => { j.Attempt = 1; j.LogPath = "/logs/r1.log"; }),
            Job(6, "r1", JobStatus.JobRunning, "a/1"),
            Job(7, "r1", JobStatus.JobFailed, "a/1", j => { j.ExitCode = 3; j.Message = "exit code 3: flaky"; }),
            Event(8, e => e.HeartbeatEvent = new HeartbeatEvent(), request: "someone-else"),
            Job(9, "r2", JobStatus.JobScheduled, "a/1", j => { j.Attempt = 2; j.LogPath = "/logs/r2.log"; }),
            Job(10, "r2", JobStatus.JobRunning, "a/1"),
            Job(11, "r2", JobStatus.JobFailed, "a/1", j => { j.ExitCode = 3; j.Message = "exit code 3: flaky"; }),
            Partition(12, "a/1", PartitionStatus.PartitionFailed, "r2", "exit code 3: flaky"),
            Partition(13, "b/1", PartitionStatus.PartitionFailed, message: "upstream a/1 failed"),
            Request(14, BuildRequestStatus.BuildRequestFailed),
        ];
        foreach (var e in events)
        {
            Assert.Null(follower.Result);
            follower.Add(e);
        }

        Assert.Equal(
            [BuildProgressKind.Planned, BuildProgressKind.JobStarted, BuildProgressKind.JobRetrying, BuildProgressKind.JobStarted,
             BuildProgressKind.JobFailed, BuildProgressKind.JobFailed],
            progress.Reports.Select(p => p.Kind));
        var planned = progress.Reports[0];
        Assert.Equal((2, 3, 2), (planned.PlannedJobRuns, planned.RequestedPartitions, planned.Remaining));
        var retrying = progress.Reports[2];
        Assert.Equal(("r1", 1, "/logs/r1.log", "exit code 3: flaky", 2.0), (retrying.JobRunId, retrying.Attempt, retrying.LogPath, retrying.Reason, retrying.RetryDelaySeconds));
        Assert.Equal(("r2", 2), (progress.Reports[3].JobRunId, progress.Reports[3].Attempt));
        Assert.Equal(("b/1", "upstream a/1 failed"), (progress.Reports[4].Partitions.Single(), progress.Reports[4].Reason));
        Assert.Equal(("r2", "/logs/r2.log", 2), (progress.Reports[5].JobRunId, progress.Reports[5].LogPath, progress.Reports[5].Failed));

        var result = follower.Result!;
        Assert.Equal(BuildRequestStatus.BuildRequestFailed, result.Status);
        Assert.Equal((2, 1), (result.JobRuns, result.AlreadyAvailable));
        Assert.Equal(["a/1", "b/1"], result.FailedPartitions);
        Assert.Equal(["a/1", "b/1", "c/1"], result.Requested);
    }
}
