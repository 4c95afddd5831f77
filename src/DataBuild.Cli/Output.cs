using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace DataBuild.Cli;

/// <summary>Shared output helpers: one JSON style and one table style for every command.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    private static readonly JsonFormatter ProtoJson = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(false));

    public static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static readonly JsonFormatter MessageJson = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    /// <summary>A protobuf message as a JSON node, in the schema's JSON form.</summary>
    public static JsonNode Proto(IMessage message) => JsonNode.Parse(ProtoJson.Format(message))!;

    /// <summary>A message of the CLI's own output (databuild.proto) as a JSON node, every field present, so scripts find each key.</summary>
    public static JsonNode Message(IMessage message) => JsonNode.Parse(MessageJson.Format(message))!;

    /// <summary>Unix nanoseconds as an ISO 8601 UTC time; empty for zero.</summary>
    public static string Time(long unixNanos) =>
        unixNanos == 0 ? "" : DateTimeOffset.FromUnixTimeMilliseconds(unixNanos / 1_000_000).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'");

    /// <summary>Writes rows as left-aligned columns under a header.</summary>
    public static void Table(TextWriter writer, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = new List<IReadOnlyList<string>> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
            writer.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Count - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }
}
