using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace DataBuild.Job;

/// <summary>Protobuf JSON as the job contract writes it: lowerCamelCase names, enums by name, one line.</summary>
internal static class ProtoJson
{
    // Defaults are written too, so a QUERY input says "depType":"QUERY" rather than leaving readers to know 0.
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    // A job built against an older schema must still accept configs from a newer graph.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    // Relaxed escaping keeps refs such as `a+b` readable to grep and bash; the output is never embedded in HTML.
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The message as single-line JSON without spaces, like the examples in docs/job-contract.md.</summary>
    public static string Format(IMessage message) => JsonNode.Parse(Formatter.Format(message))!.ToJsonString(Compact);

    public static T Parse<T>(string json) where T : IMessage, new() => Parser.Parse<T>(json);
}
