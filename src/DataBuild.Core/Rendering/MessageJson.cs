using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace DataBuild.Rendering;

/// <summary>
/// The one JSON style of every message a command prints: protobuf's JSON mapping (lowerCamelCase names, enums by name),
/// every field present so scripts find each key, and 64-bit integers as JSON numbers, as the service's HTTP API writes
/// them (docs/service.md). Google.Protobuf's formatter writes those as strings (the proto3 default); they are turned
/// into numbers here, by the message's descriptor, so both surfaces print the same text for the same message; <see cref="Parse{T}"/>
/// reads that style back without losing digits.
/// </summary>
public static class MessageJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));
    private static readonly JsonSerializerOptions IndentedOptions = new() { WriteIndented = true };

    /// <summary>One message on one line (JSON lines: events, reconcile passes, progress).</summary>
    public static string Line(IMessage message) => Node(message).ToJsonString();

    /// <summary>One message, indented for reading.</summary>
    public static string Indented(IMessage message) => Node(message).ToJsonString(IndentedOptions);

    /// <summary>A list of messages as a JSON array, indented for reading.</summary>
    public static string IndentedArray(IEnumerable<IMessage> messages) =>
        new JsonArray(messages.Select(m => (JsonNode?)Node(m)).ToArray()).ToJsonString(IndentedOptions);

    public static JsonNode Node(IMessage message)
    {
        var node = JsonNode.Parse(Formatter.Format(message))!;
        if (node is JsonObject json) Convert(json, message.Descriptor, toNumbers: true);
        return node;
    }

    /// <summary>
    /// Reads a message written in this style (the service's answers). Google.Protobuf's parser reads a JSON number as a
    /// double, which cannot hold every 64-bit integer (nanosecond times need 61 bits), so those are handed to it as strings.
    /// Unknown fields are ignored, so a newer service's answers still read. Throws Google.Protobuf's exceptions for bad JSON.
    /// </summary>
    public static T Parse<T>(string json) where T : IMessage<T>, new()
    {
        var descriptor = new T().Descriptor;
        if (JsonNode.Parse(json) is not JsonObject node) return Parser.Parse<T>(json);
        Convert(node, descriptor, toNumbers: false);
        return Parser.Parse<T>(node.ToJsonString());
    }

    private static void Convert(JsonObject json, MessageDescriptor descriptor, bool toNumbers)
    {
        foreach (var field in descriptor.Fields.InFieldNumberOrder())
        {
            if (json[field.JsonName] is not { } value) continue;
            if (field.IsMap && value is JsonObject map)
            {
                var valueField = field.MessageType.FindFieldByNumber(2);
                foreach (var key in map.Select(p => p.Key).ToArray())
                    if (Converted(map[key], valueField, toNumbers) is { } number) map[key] = number;
            }
            else if (field.IsRepeated && value is JsonArray items)
            {
                for (var i = 0; i < items.Count; i++)
                    if (Converted(items[i], field, toNumbers) is { } number) items[i] = number;
            }
            else if (Converted(value, field, toNumbers) is { } number) json[field.JsonName] = number;
        }
    }

    // A new node for a 64-bit integer in the other form; null when the value stays (a nested message is converted in place).
    private static JsonNode? Converted(JsonNode? value, FieldDescriptor field, bool toNumbers)
    {
        switch (field.FieldType)
        {
            case FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 or FieldType.UInt64 or FieldType.Fixed64 when value is JsonValue v:
                if (!toNumbers) return v.GetValueKind() == JsonValueKind.Number ? JsonValue.Create(v.ToJsonString()) : null;
                if (!v.TryGetValue<string>(out var text)) return null;
                return field.FieldType is FieldType.UInt64 or FieldType.Fixed64
                    ? JsonValue.Create(ulong.Parse(text, CultureInfo.InvariantCulture))
                    : JsonValue.Create(long.Parse(text, CultureInfo.InvariantCulture));
            case FieldType.Message when value is JsonObject nested && field.MessageType.File.Package != "google.protobuf":
                Convert(nested, field.MessageType, toNumbers);
                return null;
            default:
                return null;
        }
    }
}
