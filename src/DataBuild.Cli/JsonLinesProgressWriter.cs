using System.Text.Json;
using DataBuild.Engine;

namespace DataBuild.Cli;

/// <summary>
/// Writes each build progress event as one JSON object on its own line, for programs that show a build
/// (the MSBuild tasks turn these lines into messages and errors). One line per event and a flush after each,
/// so a reader sees every event as it happens; the field names are the contract, documented in docs/msbuild.md.
/// </summary>
public sealed class JsonLinesProgressWriter(TextWriter writer) : IProgress<BuildProgress>
{
    private readonly Lock _gate = new();

    public void Report(BuildProgress value)
    {
        var line = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["kind"] = value.Kind.ToString(),
            ["message"] = value.Message,
            ["job"] = value.JobLabel,
            ["jobRunId"] = value.JobRunId,
            ["partitions"] = value.Partitions ?? [],
            ["logPath"] = value.LogPath,
            ["running"] = value.Running,
            ["done"] = value.Done,
            ["failed"] = value.Failed,
            ["remaining"] = value.Remaining,
        });
        lock (_gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }
}
