using DataBuild.Proto;
using DataBuild.Rendering;

namespace DataBuild.Cli;

/// <summary>
/// Writes each build progress event as one line of protobuf JSON (a <see cref="BuildProgress"/> of
/// databuild.proto, every field present), for programs that show a build: the MSBuild tasks turn these
/// lines into messages and errors. A flush after each, so a reader sees every event as it happens.
/// </summary>
public sealed class JsonLinesProgressWriter(TextWriter writer) : IProgress<BuildProgress>
{
    private readonly Lock _gate = new();

    public void Report(BuildProgress value)
    {
        var line = MessageJson.Line(value);
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
