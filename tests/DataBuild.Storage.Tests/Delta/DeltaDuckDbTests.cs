using DataBuild.Storage.Delta;
using DuckDB.NET.Data;
using Google.Protobuf;

namespace DataBuild.Storage.Tests;

/// <summary>DuckDB, an engine that shares no code with DataBuild, reads the Parquet files the <c>delta:</c> backend writes.</summary>
public sealed class DeltaDuckDbTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Read_parquet_sees_the_event_columns_with_their_types_and_values()
    {
        var job = TestEvents.Job("job-1", "extract", "run-1", "br-9", "reviews/date=2020-01-01", "reviews/date=2020-01-02");
        var events = new[] { TestEvents.Partition("p-1", "data/x", "br-9"), job, TestEvents.Want("want-1", "w-1", "", "", "data/y") };
        using (var storage = new DeltaEventStorage(_folder.Path))
        {
            storage.Append(events[..2]);
            storage.Append(events[2..]);
        }
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var files = $"read_parquet('{_folder.Path}/*.parquet')";

        var types = Query(connection, $"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {files})")
            .ToDictionary(r => (string)r[0]!, r => (string)r[1]!);
        Assert.Equal("BIGINT", types["index"]);
        Assert.Equal("VARCHAR", types["event_id"]);
        Assert.Equal("BIGINT", types["timestamp"]);
        Assert.Equal("VARCHAR[]", types["partition_refs"]);
        Assert.Equal("BLOB", types["payload"]);
        Assert.Equal(10, types.Count);

        var rows = Query(connection, $"SELECT index, event_id, build_request_id, event_type, job_label, job_run_id, want_id, partition_refs, payload FROM {files} ORDER BY index");
        Assert.Equal([1L, 2, 3], rows.Select(r => (long)r[0]!));
        Assert.Equal(["p-1", "job-1", "want-1"], rows.Select(r => (string)r[1]!));
        Assert.Equal(["br-9", "br-9"], rows.Take(2).Select(r => (string)r[2]!));
        Assert.Equal(["partition_event", "job_event", "want_event"], rows.Select(r => (string)r[3]!));
        Assert.Equal("extract", rows[1][4]);
        Assert.Equal("run-1", rows[1][5]);
        Assert.Equal("w-1", rows[2][6]);
        Assert.Equal(["reviews/date=2020-01-01", "reviews/date=2020-01-02"], ((System.Collections.IEnumerable)rows[1][7]!).Cast<string>());
        Assert.Equal(events.Select(e => e.ToByteArray()), rows.Select(r => ReadBlob(r[8]!)));
    }

    [Fact]
    public void The_checkpoint_reads_back_as_Delta_actions()
    {
        using (var storage = new DeltaEventStorage(_folder.Path))
        {
            storage.Append(TestEvents.Many(2));
            storage.Append(TestEvents.Many(2, "f"));
            storage.WriteCheckpoint();
        }
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var checkpoint = $"read_parquet('{_folder.Path}/_delta_log/00000000000000000001.checkpoint.parquet')";

        var adds = Query(connection, $"SELECT add.path, add.size, add.stats FROM {checkpoint} WHERE add IS NOT NULL ORDER BY add.path");
        var protocol = Query(connection, $"SELECT protocol.minReaderVersion, protocol.minWriterVersion FROM {checkpoint} WHERE protocol IS NOT NULL");
        var configuration = Query(connection, $"SELECT metaData.configuration['delta.appendOnly'] FROM {checkpoint} WHERE metaData IS NOT NULL");

        Assert.Equal(Directory.EnumerateFiles(_folder.Path, "*.parquet").Select(Path.GetFileName).Order(StringComparer.Ordinal), adds.Select(r => (string)r[0]!));
        Assert.All(adds, r => Assert.Contains("\"minValues\":{\"index\"", (string)r[2]!));
        Assert.Equal([1, 2], protocol.Single().Select(Convert.ToInt32));
        Assert.Equal("true", Convert.ToString(configuration.Single()[0] is System.Collections.IEnumerable list and not string ? list.Cast<object>().Single() : configuration.Single()[0]));
    }

    private static List<object?[]> Query(DuckDBConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<object?[]>();
        while (reader.Read())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static byte[] ReadBlob(object value) => value switch
    {
        byte[] bytes => bytes,
        Stream stream => ReadAll(stream),
        _ => throw new InvalidOperationException($"a BLOB came back as {value.GetType()}"),
    };

    private static byte[] ReadAll(Stream stream)
    {
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
