using DataBuild.Proto;
using Google.Protobuf;

namespace DataBuild.Tasks;

/// <summary>Reads the lines of <c>databuild build --progress jsonl</c>: each a <see cref="BuildProgress"/> in protobuf JSON.</summary>
internal static class ProgressEvent
{
    // Fields a newer CLI adds are skipped, so the tasks keep reading its lines.
    private static readonly JsonParser Parser = new(JsonParser.Settings.Default.WithIgnoreUnknownFields(true));

    /// <summary>The event on <paramref name="line"/>, or null when the line is not an event (the CLI's summary or an error).</summary>
    public static BuildProgress? TryParse(string line)
    {
        if (!line.StartsWith('{')) return null;
        try
        {
            return Parser.Parse<BuildProgress>(line);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            return null;
        }
    }
}
