using System.Text;
using System.Text.Json;
using DataBuild.Proto;
using Google.Protobuf;

namespace DataBuild.Events.Storage;

/// <summary>
/// One line of a <c>file:</c> BEL: <c>{"index":N,"batchEnd":M,"event":{…protobuf JSON…}}</c>. <c>batchEnd</c>
/// is the index of the last event appended in the same batch: a reader accepts a line only once it has
/// seen its whole batch, so a batch cut short by a crash is never half read. A line without it is a batch
/// of one, so hand-written <c>{"index":N,"event":{…}}</c> lines are valid too.
/// </summary>
internal readonly record struct JsonLinesRecord(long Index, long BatchEnd, BuildEvent Event)
{
    private static readonly byte[] Start = "{\"index\":"u8.ToArray();
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    public static void Write(Stream output, long index, long batchEnd, BuildEvent buildEvent)
    {
        output.Write(Encoding.UTF8.GetBytes($"{{\"index\":{index},\"batchEnd\":{batchEnd},\"event\":{JsonFormatter.Default.Format(buildEvent)}}}\n"));
    }

    /// <summary>Parses one line (without its newline); <paramref name="problem"/> says what is wrong when it cannot.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, out JsonLinesRecord record, out string? problem)
    {
        record = default;
        // Tolerate what editors add to a hand-written file: a byte order mark and Windows line ends.
        if (line.StartsWith(Encoding.UTF8.Preamble)) line = line[Encoding.UTF8.Preamble.Length..];
        if (line.Length > 0 && line[^1] == '\r') line = line[..^1];
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return Fail("not a JSON object", out problem);
            long? index = null, batchEnd = null;
            BuildEvent? buildEvent = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "index":
                        index = reader.GetInt64();
                        break;
                    case "batchEnd":
                        batchEnd = reader.GetInt64();
                        break;
                    case "event":
                        var start = (int)reader.TokenStartIndex;
                        reader.Skip();
                        buildEvent = Parser.Parse<BuildEvent>(Encoding.UTF8.GetString(line[start..(int)reader.BytesConsumed]));
                        break;
                    default:
                        return Fail($"unexpected property '{name}'", out problem);
                }
            }
            if (reader.TokenType != JsonTokenType.EndObject || reader.Read()) return Fail("not a single JSON object", out problem);
            if (index is not > 0) return Fail("no positive \"index\"", out problem);
            if (buildEvent is null) return Fail("no \"event\"", out problem);
            if (batchEnd < index) return Fail($"\"batchEnd\" {batchEnd} is before \"index\" {index}", out problem);
            record = new JsonLinesRecord(index.Value, batchEnd ?? index.Value, buildEvent);
            problem = null;
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or InvalidProtocolBufferException or InvalidJsonException)
        {
            return Fail(e.Message, out problem);
        }
    }

    /// <summary>
    /// True when <paramref name="bytes"/> could be the beginning of a line this backend wrote, or the zeros
    /// a crash can leave where a write had not reached the disk: only such a tail is treated as torn.
    /// </summary>
    public static bool CouldBeTornRecord(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IndexOfAnyExcept((byte)0) < 0) return true;
        var common = Math.Min(bytes.Length, Start.Length);
        return bytes[..common].SequenceEqual(Start.AsSpan(0, common));
    }

    private static bool Fail(string message, out string? problem)
    {
        problem = message;
        return false;
    }
}
