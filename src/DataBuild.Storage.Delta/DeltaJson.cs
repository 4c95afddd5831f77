using System.Text.Json;

namespace DataBuild.Storage.Delta;

/// <summary>Reads and writes the JSON form of the Delta actions (PROTOCOL.md of delta-io/delta, "Actions").</summary>
internal static class DeltaJson
{
    public static DeltaAdd ReadAdd(JsonElement e) => new(
        Uri.UnescapeDataString(e.GetProperty("path").GetString()!),
        StringMap(e, "partitionValues"),
        e.TryGetProperty("size", out var size) ? size.GetInt64() : 0,
        e.TryGetProperty("modificationTime", out var time) ? time.GetInt64() : 0,
        !e.TryGetProperty("dataChange", out var change) || change.GetBoolean(),
        e.TryGetProperty("stats", out var stats) && stats.ValueKind == JsonValueKind.String ? stats.GetString() : null);

    public static DeltaRemove ReadRemove(JsonElement e) => new(
        Uri.UnescapeDataString(e.GetProperty("path").GetString()!),
        e.TryGetProperty("deletionTimestamp", out var time) && time.ValueKind == JsonValueKind.Number ? time.GetInt64() : null,
        !e.TryGetProperty("dataChange", out var change) || change.GetBoolean(),
        e.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null);

    public static DeltaMetadata ReadMetadata(JsonElement e) => new(
        e.GetProperty("id").GetString()!,
        e.GetProperty("schemaString").GetString()!,
        e.TryGetProperty("partitionColumns", out var columns) ? columns.EnumerateArray().Select(c => c.GetString()!).ToList() : [],
        StringMap(e, "configuration").ToDictionary(p => p.Key, p => p.Value ?? ""),
        e.TryGetProperty("createdTime", out var created) && created.ValueKind == JsonValueKind.Number ? created.GetInt64() : null);

    public static DeltaProtocol ReadProtocol(JsonElement e) =>
        new(e.GetProperty("minReaderVersion").GetInt32(), e.GetProperty("minWriterVersion").GetInt32());

    public static void WriteProtocol(Utf8JsonWriter w, DeltaProtocol protocol)
    {
        w.WriteStartObject("protocol");
        w.WriteNumber("minReaderVersion", protocol.MinReaderVersion);
        w.WriteNumber("minWriterVersion", protocol.MinWriterVersion);
        w.WriteEndObject();
    }

    public static void WriteMetadata(Utf8JsonWriter w, DeltaMetadata metadata)
    {
        w.WriteStartObject("metaData");
        w.WriteString("id", metadata.Id);
        w.WriteStartObject("format");
        w.WriteString("provider", "parquet");
        w.WriteStartObject("options");
        w.WriteEndObject();
        w.WriteEndObject();
        w.WriteString("schemaString", metadata.SchemaString);
        w.WriteStartArray("partitionColumns");
        foreach (var column in metadata.PartitionColumns) w.WriteStringValue(column);
        w.WriteEndArray();
        w.WriteStartObject("configuration");
        foreach (var (key, value) in metadata.Configuration) w.WriteString(key, value);
        w.WriteEndObject();
        if (metadata.CreatedTime is { } created) w.WriteNumber("createdTime", created);
        w.WriteEndObject();
    }

    public static void WriteAdd(Utf8JsonWriter w, DeltaAdd add)
    {
        w.WriteStartObject("add");
        w.WriteString("path", add.Path);
        w.WriteStartObject("partitionValues");
        foreach (var (key, value) in add.PartitionValues) w.WriteString(key, value);
        w.WriteEndObject();
        w.WriteNumber("size", add.Size);
        w.WriteNumber("modificationTime", add.ModificationTime);
        w.WriteBoolean("dataChange", add.DataChange);
        if (add.Stats is not null) w.WriteString("stats", add.Stats);
        w.WriteEndObject();
    }

    public static void WriteRemove(Utf8JsonWriter w, DeltaRemove remove)
    {
        w.WriteStartObject("remove");
        w.WriteString("path", remove.Path);
        if (remove.DeletionTimestamp is { } time) w.WriteNumber("deletionTimestamp", time);
        w.WriteBoolean("dataChange", remove.DataChange);
        if (remove.Size is { } size) w.WriteNumber("size", size);
        w.WriteEndObject();
    }

    private static Dictionary<string, string?> StringMap(JsonElement e, string name)
    {
        var map = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (e.TryGetProperty(name, out var values) && values.ValueKind == JsonValueKind.Object)
            foreach (var p in values.EnumerateObject()) map[p.Name] = p.Value.ValueKind == JsonValueKind.Null ? null : p.Value.GetString();
        return map;
    }
}
