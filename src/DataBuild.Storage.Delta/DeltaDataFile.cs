using DataBuild.Proto;
using Parquet;
using Parquet.Serialization;

namespace DataBuild.Storage.Delta;

/// <summary>A data file of the event table with the index range its stats give: every index from <see cref="MinIndex"/> to <see cref="MaxIndex"/>.</summary>
internal sealed record DeltaFileRange(DeltaAdd Add, long MinIndex, long MaxIndex)
{
    public long Rows => MaxIndex - MinIndex + 1;
}

/// <summary>Writes and reads the Parquet data files of the event table (<see cref="DeltaEventRow"/>s).</summary>
internal static class DeltaDataFile
{
    private static readonly ParquetOptions Options = new() { CompressionMethod = CompressionMethod.Snappy };

    /// <summary>The name of a new data file: unique, so writers never collide on one.</summary>
    public static string NewName() => $"part-00000-{Guid.NewGuid()}-c000.snappy.parquet";

    /// <summary>Writes <paramref name="rows"/> (consecutive indexes) as a new, synced file in <paramref name="tableFolder"/>; returns its add action.</summary>
    public static DeltaAdd Write(string tableFolder, IReadOnlyList<DeltaEventRow> rows, bool dataChange)
    {
        var name = NewName();
        var path = Path.Combine(tableFolder, name);
        try
        {
            using (var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write))
            {
                ParquetSerializer.SerializeAsync(rows, stream, Options).GetAwaiter().GetResult();
                stream.Flush(flushToDisk: true);
            }
            return new DeltaAdd(name, new Dictionary<string, string?>(), new FileInfo(path).Length,
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), dataChange, Stats(rows));
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    public static IList<DeltaEventRow> ReadRows(string tableFolder, DeltaAdd add) => Read<DeltaEventRow>(tableFolder, add);

    public static IList<DeltaEventIdRow> ReadIds(string tableFolder, DeltaAdd add) => Read<DeltaEventIdRow>(tableFolder, add);

    private static IList<T> Read<T>(string tableFolder, DeltaAdd add) where T : class, new()
    {
        var path = Path.Combine(tableFolder, add.Path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            return ParquetSerializer.DeserializeAsync<T>(stream, Options).GetAwaiter().GetResult().Data;
        }
        catch (Exception e) when (e is not IOException)
        {
            throw new InvalidDataException($"'{path}' is not a data file of a DataBuild event table: {e.Message}", e);
        }
    }

    // min/max of the index (what readers skip files by), the timestamp and the string keys an analyst filters on.
    private static string Stats(IReadOnlyList<DeltaEventRow> rows)
    {
        var min = new Dictionary<string, object> { ["index"] = rows[0].Index, ["timestamp"] = rows.Min(r => r.Timestamp) };
        var max = new Dictionary<string, object> { ["index"] = rows[^1].Index, ["timestamp"] = rows.Max(r => r.Timestamp) };
        var nulls = new Dictionary<string, long> { ["index"] = 0, ["event_id"] = 0, ["timestamp"] = 0, ["payload"] = 0 };
        AddRange(min, max, "event_id", rows.Select(r => r.EventId).ToList());
        foreach (var (column, value) in StringColumns)
        {
            var values = rows.Select(value).ToList();
            nulls[column] = values.Count(v => v is null);
            AddRange(min, max, column, values.OfType<string>().ToList());
        }
        return DeltaStats.Write(rows.Count, min, max, nulls);
    }

    private static void AddRange(Dictionary<string, object> min, Dictionary<string, object> max, string column, List<string> values)
    {
        if (values.Count == 0) return;
        values.Sort(Utf8Compare.Compare);
        min[column] = values[0];
        max[column] = values[^1];
    }

    /// <summary>The string columns whose min/max a data file's stats record, and so a reader can skip files by.</summary>
    public static readonly (string Column, Func<DeltaEventRow, string?> Value)[] StringColumns =
    [
        ("build_request_id", r => r.BuildRequestId), ("job_label", r => r.JobLabel), ("job_run_id", r => r.JobRunId),
    ];

    /// <summary>
    /// False when the file's stats show no row can match <paramref name="filter"/>: every wanted value of a
    /// filtered column lies outside the file's min/max of it.
    /// </summary>
    public static bool MayMatch(DeltaStats? stats, EventFilter filter)
    {
        if (stats is null) return true;
        return MayContain(stats, "build_request_id", filter.BuildRequestIds)
            && MayContain(stats, "job_label", filter.JobLabels)
            && MayContain(stats, "job_run_id", filter.JobRunIds);
    }

    private static bool MayContain(DeltaStats stats, string column, IReadOnlyCollection<string> wanted)
    {
        if (wanted.Count == 0) return true;
        if (stats.MinString(column) is not { } low || stats.MaxString(column) is not { } high) return stats.MinValues.Count == 0 || !stats.MinValues.ContainsKey("index");
        return wanted.Any(v => Utf8Compare.Compare(v, low) >= 0 && Utf8Compare.Compare(v, high) <= 0);
    }
}
