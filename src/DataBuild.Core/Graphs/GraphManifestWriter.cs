using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace DataBuild.Graphs;

/// <summary>
/// Writes graph.json. The output is stable (same manifest, same bytes: fields in a fixed order, jobs and
/// patterns as declared, '\n' line ends on every platform) because generated manifests are diffed and
/// checked in, and build tools compare them to decide what is out of date.
/// </summary>
internal static class GraphManifestWriter
{
    private static readonly JsonWriterOptions Options = new()
    {
        Indented = true,
        NewLine = "\n",
        // The file is never embedded in HTML, so '+', '<' or '&' in a command stay readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string ToJson(GraphManifest manifest)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            writer.WriteString("label", manifest.Label);
            if (manifest.DeclaredWorkingDirectory is { } workingDirectory) writer.WriteString("workingDirectory", workingDirectory);
            if (manifest.Environment.Count > 0)
            {
                writer.WriteStartObject("environment");
                foreach (var (name, value) in manifest.Environment) writer.WriteString(name, value);
                writer.WriteEndObject();
            }
            writer.WriteStartArray("jobs");
            foreach (var job in manifest.Jobs) WriteJob(writer, job);
            writer.WriteEndArray();
            if (manifest.Upstreams.Count > 0)
            {
                writer.WriteStartArray("upstreams");
                foreach (var upstream in manifest.Upstreams) WriteUpstream(writer, upstream);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    private static void WriteUpstream(Utf8JsonWriter writer, UpstreamGraph upstream)
    {
        writer.WriteStartObject();
        writer.WriteString("url", upstream.Url);
        writer.WriteStartArray("patterns");
        foreach (var pattern in upstream.Patterns) writer.WriteStringValue(pattern.Text);
        writer.WriteEndArray();
        if (upstream.TokenFile is { } tokenFile) writer.WriteString("tokenFile", tokenFile);
        writer.WriteEndObject();
    }

    // Fields at their default are left out, as a person writing the file by hand would.
    private static void WriteJob(Utf8JsonWriter writer, JobDefinition job)
    {
        writer.WriteStartObject();
        writer.WriteString("label", job.Label);
        writer.WriteStartArray("command");
        foreach (var part in job.Command) writer.WriteStringValue(part);
        writer.WriteEndArray();
        writer.WriteStartArray("outputs");
        foreach (var pattern in job.Outputs) writer.WriteStringValue(pattern.Text);
        writer.WriteEndArray();
        if (job.Retries != 0) writer.WriteNumber("retries", job.Retries);
        if (job.TimeoutSeconds is { } timeout) writer.WriteNumber("timeoutSeconds", timeout);
        if (job.ConfigureTimeoutSeconds is { } configureTimeout) writer.WriteNumber("configureTimeoutSeconds", configureTimeout);
        if (job.MaxConcurrency is { } maxConcurrency) writer.WriteNumber("maxConcurrency", maxConcurrency);
        if (job.Version.Length > 0) writer.WriteString("version", job.Version);
        if (job.Locations.Count > 0)
        {
            writer.WriteStartArray("locations");
            foreach (var location in job.Locations) writer.WriteStringValue(location);
            writer.WriteEndArray();
        }
        if (job.ExistsVerb) writer.WriteBoolean("existsVerb", true);
        if (job.CodeKey.Length > 0) writer.WriteString("codeKey", job.CodeKey);
        if (job.Executor != JobExecutor.Local) WriteExecutor(writer, job.Executor);
        writer.WriteEndObject();
    }

    private static void WriteExecutor(Utf8JsonWriter writer, JobExecutor executor)
    {
        writer.WriteStartObject("executor");
        writer.WriteString("kind", JobExecutor.NameOf(executor.Kind));
        if (executor.Partition is { } partition) writer.WriteString("partition", partition);
        if (executor.Cpus is { } cpus) writer.WriteNumber("cpus", cpus);
        if (executor.Memory is { } memory) writer.WriteString("memory", memory);
        if (executor.TimeLimit is { } limit) writer.WriteString("timeLimit", limit);
        writer.WriteEndObject();
    }
}
