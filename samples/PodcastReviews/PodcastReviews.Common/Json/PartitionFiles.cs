using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using DataBuild.Job;

namespace PodcastReviews.Json;

/// <summary>
/// Reads and writes partition files: lists of records as JSON lines, single records as indented JSON.
/// Writes are atomic, and the bytes depend only on the records (fixed property order, "\n" line ends, no
/// culture), so the same inputs always give byte-identical files.
/// </summary>
public static class PartitionFiles
{
    private static readonly JsonSerializerOptions Compact = new()
    {
        TypeInfoResolver = PodcastJsonContext.Default,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Review text is full of apostrophes and quotes; the files are read by people and jobs, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Indented = new(Compact) { WriteIndented = true, NewLine = "\n" };

    public static Task WriteLinesAsync<T>(string path, IEnumerable<T> records, CancellationToken cancellationToken)
    {
        var typeInfo = TypeInfo<T>(Compact);
        var text = new StringBuilder();
        foreach (var record in records) text.Append(JsonSerializer.Serialize(record, typeInfo)).Append('\n');
        return AtomicFile.WriteAllTextAsync(path, text.ToString(), cancellationToken);
    }

    public static async Task<IReadOnlyList<T>> ReadLinesAsync<T>(string path, CancellationToken cancellationToken)
    {
        var typeInfo = TypeInfo<T>(Compact);
        var records = new List<T>();
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            records.Add(JsonSerializer.Deserialize(line, typeInfo) ?? throw new InvalidDataException($"{path}:{lineNumber} holds null, not a record"));
        }
        return records;
    }

    public static Task WriteAsync<T>(string path, T record, CancellationToken cancellationToken) =>
        AtomicFile.WriteAllTextAsync(path, JsonSerializer.Serialize(record, TypeInfo<T>(Indented)) + "\n", cancellationToken);

    private static JsonTypeInfo<T> TypeInfo<T>(JsonSerializerOptions options) => (JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
}
