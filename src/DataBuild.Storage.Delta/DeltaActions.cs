using System.Text;
using System.Text.Json;

namespace DataBuild.Storage.Delta;

/// <summary>The <c>protocol</c> action: the reader and writer versions a client must support.</summary>
internal sealed record DeltaProtocol(int MinReaderVersion, int MinWriterVersion);

/// <summary>The <c>metaData</c> action: the table's id, schema (Spark's JSON form), partition columns and configuration.</summary>
internal sealed record DeltaMetadata(string Id, string SchemaString, IReadOnlyList<string> PartitionColumns,
    IReadOnlyDictionary<string, string> Configuration, long? CreatedTime);

/// <summary>The <c>add</c> action: a data file that is part of the table from this version on.</summary>
internal sealed record DeltaAdd(string Path, IReadOnlyDictionary<string, string?> PartitionValues, long Size,
    long ModificationTime, bool DataChange, string? Stats)
{
    private DeltaStats? _parsed;

    /// <summary>The file's statistics, parsed once; null when the writer recorded none.</summary>
    public DeltaStats? ParsedStats => Stats is null ? null : _parsed ??= DeltaStats.Parse(Stats);
}

/// <summary>The <c>remove</c> action: a data file that is no longer part of the table (a tombstone).</summary>
internal sealed record DeltaRemove(string Path, long? DeletionTimestamp, bool DataChange, long? Size);

/// <summary>The actions of one commit (one <c>_delta_log/NNN.json</c> file), as written or read.</summary>
internal sealed class DeltaCommit
{
    public DeltaProtocol? Protocol { get; init; }
    public DeltaMetadata? Metadata { get; init; }
    public List<DeltaAdd> Adds { get; init; } = [];
    public List<DeltaRemove> Removes { get; init; } = [];

    /// <summary>The free-form <c>commitInfo</c> action's fields, as raw JSON values; written last.</summary>
    public Dictionary<string, object?> CommitInfo { get; init; } = [];

    /// <summary>Parses a commit file: one JSON action per line; actions this reader does not use (txn, cdc, domainMetadata) are skipped.</summary>
    public static DeltaCommit Parse(ReadOnlySpan<byte> bytes, string where)
    {
        var commit = new DeltaCommit();
        DeltaProtocol? protocol = null;
        DeltaMetadata? metadata = null;
        var lineNumber = 0;
        foreach (var range in Lines(bytes))
        {
            lineNumber++;
            var line = bytes[range];
            if (line.Trim((byte)' ').IsEmpty || line.SequenceEqual("\r"u8)) continue;
            try
            {
                using var document = JsonDocument.Parse(line.ToArray());
                foreach (var action in document.RootElement.EnumerateObject())
                {
                    switch (action.Name)
                    {
                        case "add": commit.Adds.Add(DeltaJson.ReadAdd(action.Value)); break;
                        case "remove": commit.Removes.Add(DeltaJson.ReadRemove(action.Value)); break;
                        case "metaData": metadata = DeltaJson.ReadMetadata(action.Value); break;
                        case "protocol": protocol = DeltaJson.ReadProtocol(action.Value); break;
                    }
                }
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                throw new InvalidDataException($"{where} line {lineNumber}: not a Delta action ({e.Message})", e);
            }
        }
        return new DeltaCommit { Protocol = protocol, Metadata = metadata, Adds = commit.Adds, Removes = commit.Removes };
    }

    /// <summary>The commit file's bytes: protocol, metaData, removes, adds, then commitInfo, one per line.</summary>
    public byte[] ToJsonLines()
    {
        var output = new MemoryStream();
        void Line(Action<Utf8JsonWriter> write)
        {
            using (var writer = new Utf8JsonWriter(output))
            {
                writer.WriteStartObject();
                write(writer);
                writer.WriteEndObject();
            }
            output.WriteByte((byte)'\n');
        }
        if (Protocol is { } protocol) Line(w => DeltaJson.WriteProtocol(w, protocol));
        if (Metadata is { } metadata) Line(w => DeltaJson.WriteMetadata(w, metadata));
        foreach (var remove in Removes) Line(w => DeltaJson.WriteRemove(w, remove));
        foreach (var add in Adds) Line(w => DeltaJson.WriteAdd(w, add));
        if (CommitInfo.Count > 0) Line(w =>
        {
            w.WritePropertyName("commitInfo");
            JsonSerializer.Serialize(w, CommitInfo);
        });
        return output.ToArray();
    }

    private static List<Range> Lines(ReadOnlySpan<byte> bytes)
    {
        var lines = new List<Range>();
        var start = 0;
        while (start < bytes.Length)
        {
            var newline = bytes[start..].IndexOf((byte)'\n');
            var end = newline < 0 ? bytes.Length : start + newline;
            lines.Add(start..end);
            start = end + 1;
        }
        return lines;
    }
}

/// <summary>A data file's <c>stats</c>: its row count and the min/max of the columns the writer recorded.</summary>
internal sealed record DeltaStats(long? NumRecords, IReadOnlyDictionary<string, JsonElement> MinValues, IReadOnlyDictionary<string, JsonElement> MaxValues)
{
    public long? MinLong(string column) => MinValues.TryGetValue(column, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    public long? MaxLong(string column) => MaxValues.TryGetValue(column, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt64() : null;

    public string? MinString(string column) => MinValues.TryGetValue(column, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public string? MaxString(string column) => MaxValues.TryGetValue(column, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static DeltaStats Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        long? records = root.TryGetProperty("numRecords", out var n) && n.ValueKind == JsonValueKind.Number ? n.GetInt64() : null;
        return new DeltaStats(records, Values(root, "minValues"), Values(root, "maxValues"));
    }

    private static Dictionary<string, JsonElement> Values(JsonElement root, string name)
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        if (root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Object)
            foreach (var property in element.EnumerateObject()) values[property.Name] = property.Value.Clone();
        return values;
    }

    /// <summary>Stats JSON for a file of <paramref name="numRecords"/> rows with these min/max values (longs and strings) and null counts.</summary>
    public static string Write(long numRecords, IReadOnlyDictionary<string, object> min, IReadOnlyDictionary<string, object> max, IReadOnlyDictionary<string, long> nullCount) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["numRecords"] = numRecords, ["minValues"] = min, ["maxValues"] = max, ["nullCount"] = nullCount });
}

/// <summary>UTF-8 byte order, the order Delta readers compare string statistics in.</summary>
internal static class Utf8Compare
{
    public static int Compare(string a, string b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));
}
