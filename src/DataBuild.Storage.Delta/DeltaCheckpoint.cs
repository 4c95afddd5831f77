using System.Collections;
using System.Text.Json.Serialization;
using Parquet.Serialization;

namespace DataBuild.Storage.Delta;

/// <summary>
/// A classic Delta checkpoint (<c>NNN.checkpoint.parquet</c>): the table's state at a version as one Parquet
/// file, one action per row (protocol, metaData, add, remove), so a reader need not replay every commit.
/// Read without a fixed schema, so checkpoints of Spark and delta-rs (with their extra columns) read too.
/// </summary>
internal static class DeltaCheckpoint
{
    public static DeltaCommit Read(string path)
    {
        IList<Dictionary<string, object>> rows;
        try
        {
            using var stream = File.OpenRead(path);
            rows = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult().Data;
        }
        catch (Exception e) when (e is not (IOException or UnauthorizedAccessException))
        {
            throw new InvalidDataException($"'{path}' is not a readable Delta checkpoint: {e.Message}", e);
        }
        DeltaProtocol? protocol = null;
        DeltaMetadata? metadata = null;
        var adds = new List<DeltaAdd>();
        var removes = new List<DeltaRemove>();
        foreach (var row in rows)
        {
            if (Struct(row, "add") is { } add)
                adds.Add(new DeltaAdd(Uri.UnescapeDataString(Text(add, "path")!), Map(add, "partitionValues"), Long(add, "size") ?? 0,
                    Long(add, "modificationTime") ?? 0, Bool(add, "dataChange") ?? false, Text(add, "stats")));
            else if (Struct(row, "remove") is { } remove)
                removes.Add(new DeltaRemove(Uri.UnescapeDataString(Text(remove, "path")!), Long(remove, "deletionTimestamp"), Bool(remove, "dataChange") ?? false, Long(remove, "size")));
            else if (Struct(row, "metaData") is { } meta)
                metadata = new DeltaMetadata(Text(meta, "id")!, Text(meta, "schemaString")!, List(meta, "partitionColumns"),
                    Map(meta, "configuration").ToDictionary(p => p.Key, p => p.Value ?? ""), Long(meta, "createdTime"));
            else if (Struct(row, "protocol") is { } p)
                protocol = new DeltaProtocol((int)(Long(p, "minReaderVersion") ?? 1), (int)(Long(p, "minWriterVersion") ?? 2));
        }
        return new DeltaCommit { Protocol = protocol, Metadata = metadata, Adds = adds, Removes = removes };
    }

    /// <summary>Writes the checkpoint of <paramref name="state"/> (whole, by rename); returns its number of actions.</summary>
    public static long Write(string path, DeltaTableState state)
    {
        var rows = new List<CheckpointRow>();
        if (state.Protocol is { } protocol) rows.Add(new CheckpointRow { Protocol = new ProtocolColumns { MinReaderVersion = protocol.MinReaderVersion, MinWriterVersion = protocol.MinWriterVersion } });
        if (state.Metadata is { } m)
            rows.Add(new CheckpointRow
            {
                MetaData = new MetadataColumns
                {
                    Id = m.Id, SchemaString = m.SchemaString, PartitionColumns = [.. m.PartitionColumns],
                    Configuration = m.Configuration.ToDictionary(), CreatedTime = m.CreatedTime, Format = new FormatColumns(),
                },
            });
        foreach (var add in state.ActiveFiles.OrderBy(a => a.Path, StringComparer.Ordinal))
            rows.Add(new CheckpointRow
            {
                Add = new AddColumns
                {
                    Path = add.Path, PartitionValues = add.PartitionValues.ToDictionary(p => p.Key, p => p.Value ?? ""), Size = add.Size,
                    ModificationTime = add.ModificationTime, DataChange = false, Stats = add.Stats,
                },
            });
        foreach (var remove in state.Tombstones.OrderBy(r => r.Path, StringComparer.Ordinal))
            rows.Add(new CheckpointRow { Remove = new RemoveColumns { Path = remove.Path, DeletionTimestamp = remove.DeletionTimestamp, DataChange = false, Size = remove.Size } });
        DeltaLog.ReplaceWhole(path, stream => ParquetSerializer.SerializeAsync(rows, stream).GetAwaiter().GetResult());
        return rows.Count;
    }

    private static IDictionary<string, object>? Struct(IDictionary<string, object> row, string name) =>
        row.TryGetValue(name, out var value) ? value as IDictionary<string, object> : null;

    private static string? Text(IDictionary<string, object> row, string name) =>
        row.TryGetValue(name, out var value) && value is not null ? value.ToString() : null;

    private static long? Long(IDictionary<string, object> row, string name) =>
        row.TryGetValue(name, out var value) && value is not null ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : null;

    private static bool? Bool(IDictionary<string, object> row, string name) =>
        row.TryGetValue(name, out var value) && value is bool b ? b : null;

    private static List<string> List(IDictionary<string, object> row, string name) =>
        row.TryGetValue(name, out var value) && value is IEnumerable items and not string ? items.Cast<object?>().Select(i => i?.ToString() ?? "").ToList() : [];

    // A Parquet map comes back as an enumerable of key/value pairs whose types depend on the file.
    private static Dictionary<string, string?> Map(IDictionary<string, object> row, string name)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!row.TryGetValue(name, out var value) || value is not IEnumerable pairs || value is string) return map;
        foreach (var pair in pairs)
        {
            if (pair is null) continue;
            var type = pair.GetType();
            var key = type.GetProperty("Key")?.GetValue(pair)?.ToString();
            if (key is not null) map[key] = type.GetProperty("Value")?.GetValue(pair)?.ToString();
        }
        return map;
    }

    private sealed class CheckpointRow
    {
        [JsonPropertyName("protocol")] public ProtocolColumns? Protocol { get; set; }
        [JsonPropertyName("metaData")] public MetadataColumns? MetaData { get; set; }
        [JsonPropertyName("add")] public AddColumns? Add { get; set; }
        [JsonPropertyName("remove")] public RemoveColumns? Remove { get; set; }
    }

    private sealed class ProtocolColumns
    {
        [JsonPropertyName("minReaderVersion")] public int MinReaderVersion { get; set; }
        [JsonPropertyName("minWriterVersion")] public int MinWriterVersion { get; set; }
    }

    private sealed class FormatColumns
    {
        [JsonPropertyName("provider")] public string Provider { get; set; } = "parquet";
        [JsonPropertyName("options")] public Dictionary<string, string> Options { get; set; } = [];
    }

    private sealed class MetadataColumns
    {
        [JsonPropertyName("id")] public string? Id { get; set; }
        [JsonPropertyName("format")] public FormatColumns? Format { get; set; }
        [JsonPropertyName("schemaString")] public string? SchemaString { get; set; }
        [JsonPropertyName("partitionColumns")] public List<string> PartitionColumns { get; set; } = [];
        [JsonPropertyName("configuration")] public Dictionary<string, string> Configuration { get; set; } = [];
        [JsonPropertyName("createdTime")] public long? CreatedTime { get; set; }
    }

    private sealed class AddColumns
    {
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("partitionValues")] public Dictionary<string, string> PartitionValues { get; set; } = [];
        [JsonPropertyName("size")] public long Size { get; set; }
        [JsonPropertyName("modificationTime")] public long ModificationTime { get; set; }
        [JsonPropertyName("dataChange")] public bool DataChange { get; set; }
        [JsonPropertyName("stats")] public string? Stats { get; set; }
    }

    private sealed class RemoveColumns
    {
        [JsonPropertyName("path")] public string? Path { get; set; }
        [JsonPropertyName("deletionTimestamp")] public long? DeletionTimestamp { get; set; }
        [JsonPropertyName("dataChange")] public bool DataChange { get; set; }
        [JsonPropertyName("size")] public long? Size { get; set; }
    }
}
