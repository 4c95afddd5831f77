using System.Text.Json;

namespace DataBuild.Tasks;

/// <summary>One line of <c>databuild build --progress jsonl</c>: a BuildProgress from Core, as the CLI writes it.</summary>
internal sealed record ProgressEvent(string Kind, string Message, string Job, string JobRunId, IReadOnlyList<string> Partitions, string LogPath, int Done, int Failed, int Remaining)
{
    /// <summary>The event on <paramref name="line"/>, or null when the line is not an event (the CLI's summary or an error).</summary>
    public static ProgressEvent? TryParse(string line)
    {
        if (!line.StartsWith('{')) return null;
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            return new ProgressEvent(
                Text(root, "kind"), Text(root, "message"), Text(root, "job"), Text(root, "jobRunId"),
                root.TryGetProperty("partitions", out var partitions) ? partitions.EnumerateArray().Select(p => p.GetString() ?? "").ToArray() : [],
                Text(root, "logPath"), Number(root, "done"), Number(root, "failed"), Number(root, "remaining"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The partitions for a message: the first, and how many more.</summary>
    public string PartitionSummary => Partitions.Count switch
    {
        0 => "",
        1 => Partitions[0],
        _ => $"{Partitions[0]} (+{Partitions.Count - 1} more)",
    };

    private static string Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    private static int Number(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt32() : 0;
}
