using System.Text.Json.Serialization;
using DataBuild.Events;
using DataBuild.Proto;
using Google.Protobuf;
using Parquet.Serialization.Attributes;

namespace DataBuild.Storage.Delta;

/// <summary>
/// One row of the event table: the event's dense <c>index</c>, the keys an analyst filters on as plain columns,
/// and the whole event as protobuf bytes (<c>payload</c>), which is what the log reads back.
/// </summary>
internal sealed class DeltaEventRow
{
    [JsonPropertyName("index")]
    public long Index { get; set; }

    [JsonPropertyName("event_id")]
    [ParquetRequired]
    public string EventId { get; set; } = "";

    /// <summary>The event's own timestamp (nanoseconds since the Unix epoch, as the proto has it).</summary>
    [JsonPropertyName("timestamp")]
    public long Timestamp { get; set; }

    [JsonPropertyName("build_request_id")]
    public string? BuildRequestId { get; set; }

    /// <summary>The name of the event's oneof case: <c>partition_event</c>, <c>job_event</c>, …</summary>
    [JsonPropertyName("event_type")]
    public string? EventType { get; set; }

    [JsonPropertyName("job_label")]
    public string? JobLabel { get; set; }

    [JsonPropertyName("job_run_id")]
    public string? JobRunId { get; set; }

    [JsonPropertyName("want_id")]
    public string? WantId { get; set; }

    [JsonPropertyName("partition_refs")]
    [ParquetListElementRequired]
    public List<string> PartitionRefs { get; set; } = [];

    [JsonPropertyName("payload")]
    [ParquetRequired]
    public byte[] Payload { get; set; } = [];

    public static DeltaEventRow From(long index, BuildEvent buildEvent)
    {
        var keys = EventKeys.Of(buildEvent);
        return new DeltaEventRow
        {
            Index = index,
            EventId = buildEvent.EventId,
            Timestamp = buildEvent.Timestamp,
            BuildRequestId = keys.BuildRequestId,
            EventType = EventTypeName(buildEvent),
            JobLabel = keys.JobLabel,
            JobRunId = keys.JobRunId,
            WantId = keys.WantIds.Count > 0 ? keys.WantIds[0] : null,
            PartitionRefs = [.. keys.PartitionRefs],
            Payload = buildEvent.ToByteArray(),
        };
    }

    public BuildEvent ToEvent() => BuildEvent.Parser.ParseFrom(Payload);

    private static string? EventTypeName(BuildEvent buildEvent) =>
        buildEvent.EventTypeCase == BuildEvent.EventTypeOneofCase.None
            ? null
            : BuildEvent.Descriptor.Oneofs[0].Fields.First(f => f.FieldNumber == (int)buildEvent.EventTypeCase).Name;
}

/// <summary>The two columns a writer needs to know which event ids are stored, read without the payloads.</summary>
internal sealed class DeltaEventIdRow
{
    [JsonPropertyName("index")]
    public long Index { get; set; }

    [JsonPropertyName("event_id")]
    [ParquetRequired]
    public string EventId { get; set; } = "";
}
