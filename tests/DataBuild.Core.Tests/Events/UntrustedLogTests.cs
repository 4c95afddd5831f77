using DataBuild.Events.Storage;
using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Views;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using static DataBuild.Events.NewEvent;

namespace DataBuild.Core.Tests.Events;

/// <summary>
/// Events that reach a log without the access layer (written by hand or by another tool) are read through the
/// same validator as appends: the views skip the invalid ones, and each is reported once with its index.
/// </summary>
public sealed class UntrustedLogTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "databuild-untrusted-tests", Guid.NewGuid().ToString("N"));

    public UntrustedLogTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>r1 built a/1 and finished; r2 is still executing, with ghost/1 analyzed and never built.</summary>
    private static long WriteHonestHistory(BuildEventLog log)
    {
        log.Append(
            Request("r1", BuildRequestStatus.BuildRequestReceived, ["a/1"]),
            Request("r1", BuildRequestStatus.BuildRequestPlanning),
            Partition("r1", "a/1", PartitionStatus.PartitionAnalyzed),
            Request("r1", BuildRequestStatus.BuildRequestAnalysisCompleted),
            Request("r1", BuildRequestStatus.BuildRequestExecuting),
            Job("r1", "run-1", "job", ["a/1"], JobStatus.JobScheduled),
            Partition("r1", "a/1", PartitionStatus.PartitionBuilding, "run-1"),
            Job("r1", "run-1", "job", ["a/1"], JobStatus.JobRunning),
            Job("r1", "run-1", "job", ["a/1"], JobStatus.JobCompleted),
            Partition("r1", "a/1", PartitionStatus.PartitionAvailable, "run-1"),
            Request("r1", BuildRequestStatus.BuildRequestCompleted));
        return log.Append(
            Request("r2", BuildRequestStatus.BuildRequestReceived, ["ghost/1"]),
            Request("r2", BuildRequestStatus.BuildRequestPlanning),
            Partition("r2", "ghost/1", PartitionStatus.PartitionAnalyzed),
            Request("r2", BuildRequestStatus.BuildRequestAnalysisCompleted),
            Request("r2", BuildRequestStatus.BuildRequestExecuting))[^1];
    }

    /// <summary>What a hand can write: each event is refused by the access layer, and so must be by a reader.</summary>
    private static BuildEvent[] Forgeries()
    {
        var noRun = Partition("r2", "ghost/1", PartitionStatus.PartitionAvailable);
        var finished = Job("r1", "run-x", "job", ["a/1"], JobStatus.JobScheduled);
        var building = Partition("r1", "a/1", PartitionStatus.PartitionBuilding, "run-1");
        var future = Partition("r2", "ghost/2", PartitionStatus.PartitionRequested);
        future.SchemaVersion = 99;
        var escape = Partition("r2", "../../etc/passwd", PartitionStatus.PartitionRequested);
        BuildEvent[] all = [noRun, finished, building, future, escape];
        for (var i = 0; i < all.Length; i++)
        {
            all[i].EventId = $"forged-{i}";
            all[i].Timestamp = 1;
            if (all[i].SchemaVersion == 0) all[i].SchemaVersion = EventSchema.CurrentVersion;
        }
        return all;
    }

    private static void AssertForgeriesSkipped(BuildEventLog log, long firstForged)
    {
        var reported = new List<SkippedEvent>();
        log.EventSkipped += reported.Add;
        var views = new BuildEventViews();
        views.Refresh(log);
        views.Refresh(log);
        new BuildEventViews().Refresh(log);

        Assert.Null(views.Catalog.Get("ghost/2"));
        Assert.Null(views.Catalog.Get("../../etc/passwd"));
        Assert.Equal(PartitionStatus.PartitionAnalyzed, views.Catalog.Get("ghost/1")!.Status);
        Assert.Equal(PartitionStatus.PartitionAvailable, views.Catalog.Get("a/1")!.Status);
        Assert.Null(views.Runs.Get("run-x"));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => firstForged + i), reported.Select(s => s.Index));
        Assert.Equal(reported, log.Skipped);
        Assert.Contains("no job run", reported[0].Reason);
        Assert.Contains("build request r1 is already BUILD_REQUEST_COMPLETED", reported[1].Reason);
        Assert.Contains("build request r1 is already BUILD_REQUEST_COMPLETED", reported[2].Reason);
        Assert.Contains("schema version 99", reported[3].Reason);
        Assert.Contains("'..' segment", reported[4].Reason);
        Assert.Equal("forged-0", reported[0].EventId);

        // The log is not wedged: honest events after the forged ones are written and read.
        log.Append(Partition("r2", "ghost/2", PartitionStatus.PartitionRequested));
        views.Refresh(log);
        Assert.Equal(PartitionStatus.PartitionRequested, views.Catalog.Get("ghost/2")!.Status);
        Assert.Equal(5, reported.Count);
    }

    [Fact]
    public void Hand_written_json_lines_that_break_the_rules_are_skipped_and_reported_once()
    {
        long last;
        using (var writer = new BuildEventLog(EventStorage.Open("file:bel.jsonl", _folder))) last = WriteHonestHistory(writer);
        var forged = Forgeries();
        File.AppendAllLines(Path.Combine(_folder, "bel.jsonl"),
            forged.Select((e, i) => $"{{\"index\":{last + 1 + i},\"event\":{JsonFormatter.Default.Format(e)}}}"));

        using var log = new BuildEventLog(EventStorage.Open("file:bel.jsonl", _folder));
        AssertForgeriesSkipped(log, last + 1);
    }

    [Fact]
    public void Rows_inserted_into_an_sqlite_log_that_break_the_rules_are_skipped_and_reported_once()
    {
        long last;
        using (var writer = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder))) last = WriteHonestHistory(writer);
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "bel.sqlite")};Pooling=False"))
        {
            connection.Open();
            foreach (var e in Forgeries())
            {
                using var insert = connection.CreateCommand();
                insert.CommandText = "INSERT INTO events (event_id, build_request_id, timestamp, payload) VALUES ($id, $request, 1, $payload)";
                insert.Parameters.AddWithValue("$id", e.EventId);
                insert.Parameters.AddWithValue("$request", e.BuildRequestId);
                insert.Parameters.AddWithValue("$payload", e.ToByteArray());
                insert.ExecuteNonQuery();
            }
        }

        using var log = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder));
        AssertForgeriesSkipped(log, last + 1);
    }

    [Fact]
    public void Verify_lists_every_invalid_event_of_the_whole_log()
    {
        long last;
        using (var writer = new BuildEventLog(EventStorage.Open("file:bel.jsonl", _folder))) last = WriteHonestHistory(writer);
        File.AppendAllLines(Path.Combine(_folder, "bel.jsonl"),
            Forgeries().Select((e, i) => $"{{\"index\":{last + 1 + i},\"event\":{JsonFormatter.Default.Format(e)}}}"));

        using var log = new BuildEventLog(EventStorage.Open("file:bel.jsonl", _folder));
        var check = log.Verify();
        Assert.Equal(last + 5, check.Events);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => last + i), check.Skipped.Select(s => s.Index));
    }

    [Fact]
    public void A_writer_skips_what_another_process_inserted_by_hand_while_it_ran()
    {
        using var log = new BuildEventLog(EventStorage.Open("sqlite:bel.sqlite", _folder));
        WriteHonestHistory(log);
        var views = new BuildEventViews();
        views.Refresh(log);
        var forged = Forgeries()[0];
        var index = log.Storage.Append([forged]).Single();

        // The writer's next append catches up under the write lock, and the views read on from there.
        log.Append(Partition("r2", "ghost/2", PartitionStatus.PartitionRequested));
        views.Refresh(log);
        Assert.Equal(PartitionStatus.PartitionAnalyzed, views.Catalog.Get("ghost/1")!.Status);
        Assert.Equal(index, log.Skipped.Single().Index);
    }
}
