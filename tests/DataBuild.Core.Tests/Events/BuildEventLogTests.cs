using DataBuild.Events;
using DataBuild.Events.Storage;
using DataBuild.Proto;
using DataBuild.Views;
using static DataBuild.Events.NewEvent;

namespace DataBuild.Core.Tests.Events;

/// <summary>The access layer over real SQLite storage, and the reducers read back from it.</summary>
public sealed class BuildEventLogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "databuild-log-tests", Guid.NewGuid().ToString("N"));
    private readonly BuildEventLog _log;

    public BuildEventLogTests()
    {
        _log = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder));
    }

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

    private void StartRequest(string id, params string[] refs)
    {
        _log.Append([
            Request(id, BuildRequestStatus.BuildRequestReceived, refs),
            Request(id, BuildRequestStatus.BuildRequestPlanning),
            .. refs.Select(r => Partition(id, r, PartitionStatus.PartitionAnalyzed)),
            Request(id, BuildRequestStatus.BuildRequestAnalysisCompleted),
            Request(id, BuildRequestStatus.BuildRequestExecuting),
        ]);
    }

    private void Build(string request, string run, string job, string output, string version = "1", params string[] inputs)
    {
        var config = new JobConfig { Outputs = { Ref(output) } };
        config.Inputs.AddRange(inputs.Select(i => new DataDep { DepType = DepType.Materialize, PartitionRef = Ref(i) }));
        _log.Append(
            Job(request, run, job, [output], JobStatus.JobScheduled, j => { j.Config = config; j.JobVersion = version; }),
            Partition(request, output, PartitionStatus.PartitionBuilding, run),
            Job(request, run, job, [output], JobStatus.JobRunning),
            Job(request, run, job, [output], JobStatus.JobCompleted),
            Partition(request, output, PartitionStatus.PartitionAvailable, run));
    }

    [Fact]
    public void Stamps_ids_timestamps_and_the_schema_version()
    {
        var e = Request("r1", BuildRequestStatus.BuildRequestReceived, ["a/1"]);
        var index = _log.Append(e).Single();
        var stored = _log.ReadAll().Single();
        Assert.Equal(index, stored.Index);
        Assert.True(Guid.TryParse(stored.Event.EventId, out _));
        Assert.True(stored.Event.Timestamp > 0);
        Assert.Equal(EventSchema.CurrentVersion, stored.Event.SchemaVersion);
    }

    [Fact]
    public void A_refused_batch_writes_nothing()
    {
        StartRequest("r1", "a/1");
        var before = _log.ReadAll().Count();
        var error = Assert.Throws<InvalidEventException>(() => _log.Append(
            Job("r1", "run-1", "job", ["a/1"], JobStatus.JobScheduled),
            Partition("r1", "a/1", PartitionStatus.PartitionAvailable, "run-1")));
        Assert.Contains("partition a/1", error.Message);
        Assert.Equal(before, _log.ReadAll().Count());
    }

    [Fact]
    public void A_second_log_on_the_same_storage_sees_the_first_ones_events_before_validating()
    {
        StartRequest("r1", "a/1");
        using var other = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder));
        other.Append(Job("r1", "run-1", "job", ["a/1"], JobStatus.JobScheduled), Partition("r1", "a/1", PartitionStatus.PartitionBuilding, "run-1"));
        StartRequest("r2", "a/1");
        Assert.Throws<PartitionAlreadyBuildingException>(() => _log.Append(
            Job("r2", "run-2", "job", ["a/1"], JobStatus.JobScheduled),
            Partition("r2", "a/1", PartitionStatus.PartitionBuilding, "run-2")));
    }

    [Fact]
    public void A_build_cannot_start_a_partition_another_build_finished_after_it_last_looked()
    {
        StartRequest("r1", "a/1");
        StartRequest("r2", "a/1");
        var judgedAt = Views().Cursor;
        using var other = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder));
        var builtAt = other.Append(
            Job("r1", "run-1", "job", ["a/1"], JobStatus.JobScheduled),
            Partition("r1", "a/1", PartitionStatus.PartitionBuilding, "run-1"),
            Job("r1", "run-1", "job", ["a/1"], JobStatus.JobRunning),
            Job("r1", "run-1", "job", ["a/1"], JobStatus.JobCompleted),
            Partition("r1", "a/1", PartitionStatus.PartitionAvailable, "run-1"))[^1];
        BuildEvent[] StartRun() =>
        [
            Job("r2", "run-2", "job", ["a/1"], JobStatus.JobScheduled),
            Partition("r2", "a/1", PartitionStatus.PartitionBuilding, "run-2"),
        ];

        var error = Assert.Throws<PartitionBuiltSinceException>(() => _log.AppendUnlessBuiltSince(StartRun(), [(["a/1"], judgedAt)]));
        Assert.Equal("a/1", error.PartitionRef);
        Assert.Equal(builtAt, error.BuiltAtIndex);
        Assert.DoesNotContain(_log.ReadAll(), e => e.Event.JobEvent?.JobRunId == "run-2");
        _log.AppendUnlessBuiltSince(StartRun(), [(["a/1"], builtAt)]);
        Assert.Equal(PartitionStatus.PartitionBuilding, Views().Catalog.Get("a/1")!.Status);
    }

    [Fact]
    public void Re_appending_the_same_event_is_harmless()
    {
        var e = Request("r1", BuildRequestStatus.BuildRequestReceived, ["a/1"]);
        var first = _log.Append(e).Single();
        var again = _log.Append(e.Clone()).Single();
        Assert.Equal(first, again);
        Assert.Single(_log.ReadAll());
    }

    [Fact]
    public void The_catalog_keeps_data_available_while_a_later_request_only_plans_or_fails_to_rebuild_it()
    {
        StartRequest("r1", "a/1");
        Build("r1", "run-1", "job", "a/1");
        _log.Append(Request("r1", BuildRequestStatus.BuildRequestCompleted));

        StartRequest("r2", "a/1");
        Assert.Equal(PartitionStatus.PartitionAvailable, Views().Catalog.Get("a/1")!.Status);

        _log.Append(
            Job("r2", "run-2", "job", ["a/1"], JobStatus.JobScheduled),
            Partition("r2", "a/1", PartitionStatus.PartitionBuilding, "run-2"));
        var building = Views().Catalog.Get("a/1")!;
        Assert.Equal(PartitionStatus.PartitionBuilding, building.Status);
        Assert.Equal("run-2", building.JobRunId);

        _log.Append(
            Job("r2", "run-2", "job", ["a/1"], JobStatus.JobFailed),
            Partition("r2", "a/1", PartitionStatus.PartitionFailed, "run-2"));
        var after = Views().Catalog.Get("a/1")!;
        Assert.Equal(PartitionStatus.PartitionAvailable, after.Status);
        Assert.Equal("run-1", after.JobRunId);
    }

    [Fact]
    public void A_partition_built_before_its_upstream_was_rebuilt_is_stale_and_so_are_its_downstreams()
    {
        StartRequest("r1", "raw/1", "mid/1", "top/1");
        Build("r1", "run-raw", "raw", "raw/1");
        Build("r1", "run-mid", "mid", "mid/1", "1", "raw/1");
        Build("r1", "run-top", "top", "top/1", "1", "mid/1");
        Assert.Equal(PartitionStatus.PartitionAvailable, Views().Catalog.Get("top/1")!.Status);

        StartRequest("r2", "raw/1");
        Build("r2", "run-raw-2", "raw", "raw/1");
        var catalog = Views().Catalog;
        Assert.Equal(PartitionStatus.PartitionAvailable, catalog.Get("raw/1")!.Status);
        var mid = catalog.Get("mid/1")!;
        Assert.Equal(PartitionStatus.PartitionStale, mid.Status);
        Assert.Contains("raw/1 was rebuilt", mid.StaleReason);
        Assert.Equal(PartitionStatus.PartitionStale, catalog.Get("top/1")!.Status);
        Assert.Contains("mid/1 is stale", catalog.Get("top/1")!.StaleReason);
    }

    [Fact]
    public void A_new_job_version_makes_what_the_old_version_built_stale()
    {
        StartRequest("r1", "a/1");
        Build("r1", "run-1", "job", "a/1", version: "1");
        var catalog = Views().Catalog;
        Assert.Equal(PartitionStatus.PartitionAvailable, catalog.Get("a/1", new Dictionary<string, JobIdentity> { ["job"] = new("1", "") })!.Status);
        Assert.Equal(PartitionStatus.PartitionAvailable, catalog.Get("a/1", new Dictionary<string, JobIdentity> { ["job"] = new("1.3", "") })!.Status);
        var stale = catalog.Get("a/1", new Dictionary<string, JobIdentity> { ["job"] = new("2", "") })!;
        Assert.Equal(PartitionStatus.PartitionStale, stale.Status);
        Assert.Equal("job version 1 → 2", stale.StaleReason);
    }

    [Fact]
    public void Views_refresh_incrementally_from_their_cursor()
    {
        StartRequest("r1", "a/1");
        var views = Views();
        var cursor = views.Cursor;
        Build("r1", "run-1", "job", "a/1");
        views.Refresh(_log);
        Assert.True(views.Cursor > cursor);
        Assert.Equal(PartitionStatus.PartitionAvailable, views.Catalog.Get("a/1")!.Status);
        var run = views.Runs.Get("run-1")!;
        Assert.Equal(JobStatus.JobCompleted, run.Status);
        Assert.Equal("1", run.JobVersion);
        Assert.Equal(1, views.Requests.Get("r1")!.JobsCompleted);
    }

    [Fact]
    public void Views_fold_interleaved_requests_runs_and_partitions_each_into_its_own_entry()
    {
        StartRequest("r1", "a/1");
        StartRequest("r2", "b/1");
        // Alternating between two builds, so no event names the same request, run or partition as the one before.
        _log.Append(
            Job("r1", "run-1", "job-a", ["a/1"], JobStatus.JobScheduled, j => j.LogPath = "a.log"),
            Job("r2", "run-2", "job-b", ["b/1"], JobStatus.JobScheduled, j => j.LogPath = "b.log"),
            Partition("r1", "a/1", PartitionStatus.PartitionBuilding, "run-1"),
            Partition("r2", "b/1", PartitionStatus.PartitionBuilding, "run-2"),
            Job("r1", "run-1", "job-a", ["a/1"], JobStatus.JobRunning),
            Job("r2", "run-2", "job-b", ["b/1"], JobStatus.JobRunning),
            Job("r1", "run-1", "job-a", ["a/1"], JobStatus.JobCompleted),
            Job("r2", "run-2", "job-b", ["b/1"], JobStatus.JobFailed, j => j.ExitCode = 1),
            Partition("r1", "a/1", PartitionStatus.PartitionAvailable, "run-1"),
            Partition("r2", "b/1", PartitionStatus.PartitionFailed, "run-2"));
        var views = Views();
        var (runA, runB) = (views.Runs.Get("run-1")!, views.Runs.Get("run-2")!);
        Assert.Equal((JobStatus.JobCompleted, "a.log", "job-a", 0), (runA.Status, runA.LogPath, runA.JobLabel, runA.ExitCode));
        Assert.Equal((JobStatus.JobFailed, "b.log", "job-b", 1), (runB.Status, runB.LogPath, runB.JobLabel, runB.ExitCode));
        Assert.Equal(["run-1", "run-2"], views.Runs.All.Select(r => r.JobRunId));
        var (r1, r2) = (views.Requests.Get("r1")!, views.Requests.Get("r2")!);
        Assert.Equal((1, 0), (r1.JobsCompleted, r1.JobsFailed));
        Assert.Equal((0, 1), (r2.JobsCompleted, r2.JobsFailed));
        var (a, b) = (views.Catalog.Get("a/1")!, views.Catalog.Get("b/1")!);
        Assert.Equal((PartitionStatus.PartitionAvailable, "r1", "run-1"), (a.Status, a.BuildRequestId, a.JobRunId));
        Assert.Equal((PartitionStatus.PartitionFailed, "r2", "run-2"), (b.Status, b.BuildRequestId, b.JobRunId));
    }
}
