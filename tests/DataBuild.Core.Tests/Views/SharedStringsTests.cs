using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Proto;
using DataBuild.Views;
using static DataBuild.Events.NewEvent;

namespace DataBuild.Core.Tests.Views;

/// <summary>
/// The views keep one instance of each ref and id (StringPool), not the copy each event parsed from storage brings:
/// read from SQLite, every event's strings are new instances, so only the pool makes these references equal.
/// </summary>
public sealed class SharedStringsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "databuild-strings-tests", Guid.NewGuid().ToString("N"));
    private readonly BuildEventLog _log;

    public SharedStringsTests() => _log = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder));

    public void Dispose()
    {
        _log.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private BuildEventViews Views()
    {
        var views = new BuildEventViews();
        views.Refresh(_log);
        return views;
    }

    private void Build(string run, string output)
    {
        _log.Append(
            Partition("r1", output, PartitionStatus.PartitionAnalyzed),
            Job("r1", run, "job", [output], JobStatus.JobScheduled),
            Partition("r1", output, PartitionStatus.PartitionBuilding, run),
            Job("r1", run, "job", [output], JobStatus.JobRunning),
            Job("r1", run, "job", [output], JobStatus.JobCompleted),
            Partition("r1", output, PartitionStatus.PartitionAvailable, run));
    }

    private void Start() => _log.Append(
        Request("r1", BuildRequestStatus.BuildRequestReceived, ["a/1"]),
        Request("r1", BuildRequestStatus.BuildRequestPlanning),
        Request("r1", BuildRequestStatus.BuildRequestAnalysisCompleted),
        Request("r1", BuildRequestStatus.BuildRequestExecuting));

    [Fact]
    public void Partitions_runs_and_requests_folded_from_storage_share_one_instance_of_each_id_and_ref()
    {
        Start();
        Build("run-1", "a/1");
        Build("run-2", "a/2");

        var views = Views();
        var (first, second) = (views.Catalog.Get("a/1")!, views.Catalog.Get("a/2")!);
        var request = views.Requests.Get("r1")!.BuildRequestId;
        var run = views.Runs.Get("run-1")!;

        Assert.Same(request, first.BuildRequestId);
        Assert.Same(request, second.BuildRequestId);
        Assert.Same(request, first.LastBuilt!.BuildRequestId);
        Assert.Same(request, run.BuildRequestId);
        Assert.Same(run.JobRunId, first.JobRunId);
        Assert.Same(run.JobRunId, first.LastBuilt.JobRunId);
        Assert.Same(first.Ref, run.Targets[0]);
        Assert.Same(run.JobLabel, views.Runs.Get("run-2")!.JobLabel);
    }

    [Fact]
    public void Strings_restored_from_a_snapshot_are_the_instances_later_events_are_folded_into()
    {
        Start();
        Build("run-1", "a/1");
        Assert.NotNull(ViewSnapshots.Write(_log, Views()));
        Build("run-2", "a/2");

        using var reader = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder));
        var views = new BuildEventViews();
        views.Refresh(reader);

        Assert.NotNull(reader.Snapshot);
        var restored = views.Catalog.Get("a/1")!;
        var folded = views.Catalog.Get("a/2")!;
        Assert.Same(restored.BuildRequestId, folded.BuildRequestId);
        Assert.Same(restored.BuildRequestId, views.Runs.Get("run-2")!.BuildRequestId);
        Assert.Same(views.Runs.Get("run-1")!.JobLabel, views.Runs.Get("run-2")!.JobLabel);
    }
}
