using System.Text.Json;

namespace DataBuild.Storage.Delta;

/// <summary>What makes a Delta table a DataBuild event log: its protocol, schema, configuration and commit info.</summary>
internal static class DeltaEventTable
{
    /// <summary>Reader 1, writer 2: plain Parquet files, and <c>delta.appendOnly</c> honoured by every writer.</summary>
    public static readonly DeltaProtocol Protocol = new(1, 2);

    private static readonly (string Name, object Type, bool Nullable)[] Columns =
    [
        ("index", "long", false), ("event_id", "string", false), ("timestamp", "long", false), ("build_request_id", "string", true),
        ("event_type", "string", true), ("job_label", "string", true), ("job_run_id", "string", true), ("want_id", "string", true),
        ("partition_refs", new Dictionary<string, object> { ["type"] = "array", ["elementType"] = "string", ["containsNull"] = false }, true),
        ("payload", "binary", false),
    ];

    /// <summary>The table's schema in Delta's JSON form (the <c>schemaString</c> of metaData).</summary>
    public static readonly string SchemaString = JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["type"] = "struct",
        ["fields"] = Columns.Select(c => new Dictionary<string, object> { ["name"] = c.Name, ["type"] = c.Type, ["nullable"] = c.Nullable, ["metadata"] = new Dictionary<string, object>() }).ToList(),
    });

    public static DeltaMetadata NewMetadata() => new(Guid.NewGuid().ToString(), SchemaString, [],
        new Dictionary<string, string> { ["delta.appendOnly"] = "true" }, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

    /// <summary>
    /// commitInfo of a DataBuild commit: what Spark's history shows, plus <c>databuild</c> with the batch's
    /// first and last index, so a reader can find the commit holding an index from the JSON alone.
    /// </summary>
    public static Dictionary<string, object?> CommitInfo(string operation, long firstIndex, long lastIndex) => new()
    {
        ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        ["operation"] = operation,
        ["operationParameters"] = operation == "WRITE" ? new Dictionary<string, string> { ["mode"] = "Append", ["partitionBy"] = "[]" } : new Dictionary<string, string>(),
        ["isBlindAppend"] = operation == "WRITE",
        ["engineInfo"] = "DataBuild",
        ["databuild"] = new Dictionary<string, long> { ["firstIndex"] = firstIndex, ["lastIndex"] = lastIndex },
    };

    /// <summary>Refuses a Delta table that is not an event log, naming what is missing.</summary>
    public static void CheckSchema(DeltaMetadata metadata, string description)
    {
        List<string> names;
        try
        {
            using var document = JsonDocument.Parse(metadata.SchemaString);
            names = document.RootElement.GetProperty("fields").EnumerateArray().Select(f => f.GetProperty("name").GetString() ?? "").ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{description}: the table's schemaString is not a Delta schema: {e.Message}", e);
        }
        var missing = new[] { "index", "event_id", "payload" }.Where(c => !names.Contains(c)).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{description} is a Delta table but not a DataBuild event log: it has no {string.Join(", ", missing)} column.");
    }
}
