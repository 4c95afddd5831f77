using DataBuild.Proto;
using DataBuild.Refs;
using Google.Protobuf;

namespace DataBuild.Execution;

/// <summary>
/// The graph's side of the job contract (docs/job-contract.md): reading what `configure`
/// printed and the missing-dependency line `exec` may print. Every problem is reported in words that name
/// the job, so the author knows which script to fix.
/// </summary>
public static class JobContract
{
    public const string MissingDepsPrefix = "DATABUILD_MISSING_DEPS_JSON:";

    /// <summary>The missing-deps line(s) of one run, together, at most this many characters (1 MiB).</summary>
    public const int MissingDepsLimit = 1024 * 1024;

    /// <summary>What configure prints on stdout, at most this many characters (32 MiB); configure is stopped past it.</summary>
    public const int ConfigureOutputLimit = 32 * 1024 * 1024;

    /// <summary>One config, as the JSON exec reads on stdin, at most this many characters (1 MiB).</summary>
    public const int ConfigLimit = 1024 * 1024;

    /// <summary>One of a config's args, or one NAME=value of its env, at most this many bytes of UTF-8: what Linux passes to a program as one string.</summary>
    public const int ConfigStringLimit = 128 * 1024 - 1;

    private static readonly JsonParser StrictParser = new(JsonParser.Settings.Default);

    /// <summary>Parses and checks a configure response: every requested ref in exactly one config, every ref valid.</summary>
    public static IReadOnlyList<JobConfig> ParseConfigureOutput(string jobLabel, IReadOnlyCollection<string> requested, string stdout)
    {
        JobConfigureResponse response;
        try
        {
            response = StrictParser.Parse<JobConfigureResponse>(stdout.Trim());
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
        {
            throw new JobContractException($"job {jobLabel}: configure did not print a JobConfigureResponse as protobuf JSON ({e.Message}); it printed: {Excerpt(stdout)}");
        }

        var owner = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < response.Configs.Count; i++)
        {
            var config = response.Configs[i];
            if (config.Outputs.Count == 0) throw new JobContractException($"job {jobLabel}: configure returned config #{i + 1} with no outputs");
            foreach (var output in config.Outputs)
            {
                Check(jobLabel, $"config #{i + 1} output", output.Str);
                if (!owner.TryAdd(output.Str, i))
                    throw new JobContractException($"job {jobLabel}: configure put {output.Str} in the outputs of configs #{owner[output.Str] + 1} and #{i + 1}; each ref belongs to exactly one config");
            }
            foreach (var input in config.Inputs) Check(jobLabel, $"config #{i + 1} input", input.PartitionRef?.Str);
            CheckSize(jobLabel, i, config);
        }
        var missing = requested.Where(r => !owner.ContainsKey(r)).ToArray();
        if (missing.Length > 0)
            throw new JobContractException($"job {jobLabel}: configure returned no config producing {string.Join(", ", missing)}");
        return response.Configs;
    }

    /// <summary>Reads the missing-dependency lines a job printed, or null when it printed none.</summary>
    public static IReadOnlyList<MissingDeps>? ParseMissingDeps(string jobLabel, IReadOnlyList<string> markedLines)
    {
        if (markedLines.Count == 0) return null;
        if (markedLines.Sum(l => l.Length) > MissingDepsLimit)
            throw new JobContractException($"job {jobLabel}: its {MissingDepsPrefix} output is longer than the limit of {MissingDepsLimit} characters (1 MiB)");
        var all = new List<MissingDeps>();
        foreach (var line in markedLines)
        {
            var json = line[MissingDepsPrefix.Length..].Trim();
            JobMissingDepsResponse response;
            try
            {
                response = StrictParser.Parse<JobMissingDepsResponse>(json);
            }
            catch (Exception e) when (e is InvalidProtocolBufferException or InvalidJsonException or FormatException)
            {
                throw new JobContractException($"job {jobLabel}: the {MissingDepsPrefix} line is not a JobMissingDepsResponse ({e.Message}): {Excerpt(json)}");
            }
            foreach (var deps in response.MissingDeps)
            {
                if (deps.Missing.Count == 0) throw new JobContractException($"job {jobLabel}: a missing-deps entry names no missing partition");
                foreach (var r in deps.Missing) Check(jobLabel, "missing dependency", r.Str);
                foreach (var r in deps.Impacted) Check(jobLabel, "impacted output", r.Str);
            }
            all.AddRange(response.MissingDeps);
        }
        return all.Count > 0 ? all : null;
    }

    /// <summary>Protobuf JSON of a config, as a job reads it on stdin.</summary>
    public static string ConfigJson(JobConfig config) => JsonFormatter.Default.Format(config);

    // Caught here, naming the job, rather than as "Argument list too long" when the run starts.
    private static void CheckSize(string jobLabel, int index, JobConfig config)
    {
        var length = ConfigJson(config).Length;
        if (length > ConfigLimit)
            throw new JobContractException($"job {jobLabel}: configure returned config #{index + 1} of {length} characters, over the limit of {ConfigLimit} characters (1 MiB) for one config");
        var strings = config.Args.Select((arg, n) => (What: $"argument #{n + 1}", Text: arg))
            .Concat(config.Env.Select(e => (What: $"env variable {e.Key}", Text: $"{e.Key}={e.Value}")));
        foreach (var (what, text) in strings)
        {
            var bytes = System.Text.Encoding.UTF8.GetByteCount(text);
            if (bytes > ConfigStringLimit)
                throw new JobContractException($"job {jobLabel}: config #{index + 1} has {what} of {bytes} bytes, over the limit of {ConfigStringLimit} bytes a program can be given as one argument or variable");
        }
    }

    private static void Check(string jobLabel, string what, string? value)
    {
        var problem = PartitionRefs.Problem(value);
        if (problem is not null) throw new JobContractException($"job {jobLabel}: {what} '{value}' is not a valid partition ref: {problem}");
    }

    internal static string Excerpt(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return "(nothing)";
        return trimmed.Length > 400 ? trimmed[..400] + "…" : trimmed;
    }
}

/// <summary>A job broke the contract: its output cannot be understood. Never retried: the job needs fixing.</summary>
public sealed class JobContractException(string message) : Exception(message);
