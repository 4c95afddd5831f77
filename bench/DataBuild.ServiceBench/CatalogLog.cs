using DataBuild.Events;
using DataBuild.Proto;
using DataBuild.Storage.Sqlite;

namespace DataBuild.ServiceBench;

/// <summary>
/// Writes what one build of <c>count</c> partitions of job <c>a</c> would write (each run with a config reading the
/// previous partition, in chains of ten as in a ten-layer graph, so lineage has something to find), through the access layer, straight into a graph's log: a
/// large catalog without running 100,000 processes.
/// </summary>
internal static class CatalogLog
{
    public static long Write(string logPath, int count, string tag = "p")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(logPath)!);
        using var log = new BuildEventLog(new SqliteEventStorage(logPath));
        var id = Guid.CreateVersion7().ToString();
        log.Append([
            NewEvent.Request(id, BuildRequestStatus.BuildRequestReceived, [$"a/{tag}0"]),
            NewEvent.Request(id, BuildRequestStatus.BuildRequestPlanning),
            NewEvent.Request(id, BuildRequestStatus.BuildRequestAnalysisCompleted),
            NewEvent.Request(id, BuildRequestStatus.BuildRequestExecuting),
        ]);
        const int perBatch = 1000;
        for (var start = 0; start < count; start += perBatch)
        {
            var batch = new List<BuildEvent>();
            for (var n = start; n < Math.Min(count, start + perBatch); n++) batch.AddRange(Run(id, n, tag));
            log.Append(batch);
        }
        return log.Append([NewEvent.Request(id, BuildRequestStatus.BuildRequestCompleted)]).Last();
    }

    /// <summary>The events of one run of job <c>a</c> building <c>a/&lt;tag&gt;&lt;n&gt;</c>, reading the partition before it unless n is a multiple of ten.</summary>
    public static IEnumerable<BuildEvent> Run(string buildRequestId, int n, string tag)
    {
        var partition = $"a/{tag}{n}";
        var run = Guid.CreateVersion7().ToString();
        var config = new JobConfig { Args = { partition } };
        config.Outputs.Add(NewEvent.Ref(partition));
        if (n % 10 != 0) config.Inputs.Add(new DataDep { DepType = DepType.Materialize, PartitionRef = NewEvent.Ref($"a/{tag}{n - 1}") });
        yield return NewEvent.Partition(buildRequestId, partition, PartitionStatus.PartitionAnalyzed);
        yield return NewEvent.Job(buildRequestId, run, "a", [partition], JobStatus.JobScheduled, j => { j.Config = config; j.Attempt = 1; });
        yield return NewEvent.Partition(buildRequestId, partition, PartitionStatus.PartitionBuilding, run);
        yield return NewEvent.Job(buildRequestId, run, "a", [partition], JobStatus.JobRunning);
        yield return NewEvent.Job(buildRequestId, run, "a", [partition], JobStatus.JobCompleted, j => j.DurationMs = 1);
        yield return NewEvent.Partition(buildRequestId, partition, PartitionStatus.PartitionAvailable, run);
    }
}
