using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Proto;
using DataBuild.Views;
using static DataBuild.Events.NewEvent;

namespace DataBuild.Core.Tests.Views;

/// <summary>
/// <see cref="JobRunsView.Live"/>, which crash recovery and adoption read: the runs not yet finished, in the order
/// they were first seen, the same whether folded from the log or restored from a snapshot.
/// </summary>
public sealed class LiveRunsTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "databuild-live-runs-tests", Guid.NewGuid().ToString("N"));
    private readonly BuildEventLog _log;

    public LiveRunsTests() => _log = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder));

    public void Dispose()
    {
        _log.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static string[] LiveIn(BuildEventLog log)
    {
        var views = new BuildEventViews();
        views.Refresh(log);
        return views.Runs.Live.Select(r => r.JobRunId).ToArray();
    }

    private void Schedule(string run, string output) => _log.Append(
        Partition("r1", output, PartitionStatus.PartitionAnalyzed),
        Job("r1", run, "job", [output], JobStatus.JobScheduled),
        Partition("r1", output, PartitionStatus.PartitionBuilding, run));

    private void Finish(string run, string output, JobStatus how) => _log.Append(
        Job("r1", run, "job", [output], JobStatus.JobRunning),
        Job("r1", run, "job", [output], how),
        Partition("r1", output, how == JobStatus.JobCompleted ? PartitionStatus.PartitionAvailable : PartitionStatus.PartitionFailed, run));

    [Fact]
    public void The_live_runs_are_the_unfinished_ones_in_the_order_first_seen_before_and_after_a_snapshot()
    {
        _log.Append(
            Request("r1", BuildRequestStatus.BuildRequestReceived, ["a/1"]),
            Request("r1", BuildRequestStatus.BuildRequestPlanning),
            Request("r1", BuildRequestStatus.BuildRequestAnalysisCompleted),
            Request("r1", BuildRequestStatus.BuildRequestExecuting));
        Schedule("run-c", "a/3");
        Schedule("run-a", "a/1");
        Schedule("run-b", "a/2");
        Schedule("run-d", "a/4");
        Finish("run-a", "a/1", JobStatus.JobCompleted);
        // Running is live too: a status change keeps the run where it was first seen.
        _log.Append(Job("r1", "run-d", "job", ["a/4"], JobStatus.JobRunning));
        Assert.Equal(["run-c", "run-b", "run-d"], LiveIn(_log));

        var views = new BuildEventViews();
        views.Refresh(_log);
        Assert.NotNull(ViewSnapshots.Write(_log, views));
        Finish("run-b", "a/2", JobStatus.JobFailed);
        using var reader = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder));
        Assert.Equal(["run-c", "run-d"], LiveIn(reader));
        Assert.NotNull(reader.Snapshot);
    }
}
