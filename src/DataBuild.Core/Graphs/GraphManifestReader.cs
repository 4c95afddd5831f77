using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using DataBuild.Refs;

namespace DataBuild.Graphs;

/// <summary>
/// Reads graph.json field by field, so that unknown fields are caught, every problem names its JSON path,
/// and one bad field does not hide the others. It checks the shape (types, unknown or repeated fields,
/// pattern syntax); the rules on values belong to <see cref="GraphManifestValidator"/>, which manifests
/// built in code share.
/// </summary>
internal sealed class GraphManifestReader
{
    private readonly List<ManifestIssue> _issues = [];
    private readonly List<JobDefinition> _jobs = [];
    private readonly List<IReadOnlyList<int>> _outputPositions = [];
    private readonly List<string> _unusable = [];
    private readonly List<UpstreamGraph> _upstreams = [];
    private string _label = "";
    private string? _workingDirectory;
    private readonly SortedDictionary<string, string> _environment = new(StringComparer.Ordinal);

    public static ParsedManifest Read(byte[] json)
    {
        // Editors on Windows like to start UTF-8 files with a byte order mark, which the JSON parser refuses.
        if (json.AsSpan().StartsWith(Encoding.UTF8.Preamble)) json = json[Encoding.UTF8.Preamble.Length..];
        if (FirstInvalidUtf8(json) is { } invalid)
            return Unreadable(new(GraphManifestProblemKind.Syntax, JsonPaths.Root, "not valid JSON: the file is not UTF-8 text", JsonLocations.Locate(json, invalid)));
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            var at = new TextLocation((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1);
            return Unreadable(new(GraphManifestProblemKind.Syntax, JsonPaths.Root, $"not valid JSON: {WithoutPosition(e.Message)}", at));
        }
        using (document)
        {
            var reader = new GraphManifestReader();
            reader.ReadManifest(document.RootElement);
            return new ParsedManifest(reader._label, reader._jobs, reader._outputPositions, reader._issues, reader._unusable, JsonLocations.Map(json))
            {
                WorkingDirectory = reader._workingDirectory,
                Environment = reader._environment,
                Upstreams = reader._upstreams,
            };
        }
    }

    private static ParsedManifest Unreadable(ManifestIssue issue) => new("", [], [], [issue], [JsonPaths.Root], null);

    // The parser checks UTF-8 only when a string is read, and then throws without a position.
    private static int? FirstInvalidUtf8(byte[] json)
    {
        var status = Utf8.ToUtf16(json, new char[json.Length], out var valid, out _, replaceInvalidSequences: false);
        return status == OperationStatus.Done ? null : valid;
    }

    private void ReadManifest(JsonElement root)
    {
        if (!Expect(root, JsonValueKind.Object, JsonPaths.Root, "the manifest must be a JSON object")) return;
        var hasJobs = false;
        foreach (var (name, value, path) in Properties(root, JsonPaths.Root))
        {
            switch (name)
            {
                case "label":
                    _label = ReadString(value, path);
                    break;
                case "workingDirectory":
                    _workingDirectory = ReadString(value, path);
                    if (_workingDirectory.Length == 0) _issues.Add(new(GraphManifestProblemKind.InvalidWorkingDirectory, path, "workingDirectory must not be empty; leave it out to run jobs in the manifest's folder"));
                    break;
                case "environment":
                    ReadEnvironment(value, path);
                    break;
                case "jobs":
                    hasJobs = true;
                    ReadJobs(value, path);
                    break;
                case "upstreams":
                    ReadUpstreams(value, path);
                    break;
                default:
                    _issues.Add(new(GraphManifestProblemKind.Syntax, path, ManifestFields.Unknown(name, ManifestFields.Graph, "a graph")));
                    break;
            }
        }
        if (!hasJobs) _issues.Add(new(GraphManifestProblemKind.Syntax, JsonPaths.Property(JsonPaths.Root, "jobs"), "the graph has no 'jobs' field"));
    }

    private void ReadJobs(JsonElement jobs, string path)
    {
        if (!Expect(jobs, JsonValueKind.Array, path, "jobs must be an array of job objects")) return;
        var index = 0;
        foreach (var job in jobs.EnumerateArray())
        {
            var outputPositions = new List<int>();
            _jobs.Add(ReadJob(job, JsonPaths.Element(path, index++), outputPositions));
            _outputPositions.Add(outputPositions);
        }
    }

    private void ReadUpstreams(JsonElement upstreams, string path)
    {
        if (!Expect(upstreams, JsonValueKind.Array, path, "upstreams must be an array of upstream objects")) return;
        var index = 0;
        foreach (var upstream in upstreams.EnumerateArray()) _upstreams.Add(ReadUpstream(upstream, JsonPaths.Element(path, index++)));
    }

    // Like a job, an upstream that is not an object keeps its place, so indexes stay JSON indexes.
    private UpstreamGraph ReadUpstream(JsonElement upstream, string path)
    {
        if (!Expect(upstream, JsonValueKind.Object, path, "an upstream must be a JSON object")) return new UpstreamGraph("", []);
        var url = "";
        var patterns = new List<PartitionPattern>();
        string? tokenFile = null;
        foreach (var (name, value, fieldPath) in Properties(upstream, path))
        {
            switch (name)
            {
                case "url": url = ReadString(value, fieldPath); break;
                case "patterns": patterns = ReadPatterns(value, fieldPath, []); break;
                case "tokenFile": tokenFile = ReadString(value, fieldPath); break;
                default: _issues.Add(new(GraphManifestProblemKind.Syntax, fieldPath, ManifestFields.Unknown(name, ManifestFields.Upstream, "an upstream"))); break;
            }
        }
        return new UpstreamGraph(url, patterns, tokenFile);
    }

    // A job that is not even an object still takes its place in the list, so indexes stay JSON indexes.
    private JobDefinition ReadJob(JsonElement job, string path, List<int> outputPositions)
    {
        if (!Expect(job, JsonValueKind.Object, path, "a job must be a JSON object")) return new JobDefinition("", [], []);
        var label = "";
        var command = new List<string>();
        var outputs = new List<PartitionPattern>();
        int? retries = null, timeoutSeconds = null, configureTimeoutSeconds = null, maxConcurrency = null;
        var version = "";
        var executor = JobExecutor.Local;
        var locations = new List<string>();
        var existsVerb = false;
        var codeKey = "";
        foreach (var (name, value, fieldPath) in Properties(job, path))
        {
            switch (name)
            {
                case "label": label = ReadString(value, fieldPath); break;
                case "command": command = ReadStrings(value, fieldPath); break;
                case "outputs": outputs = ReadPatterns(value, fieldPath, outputPositions); break;
                case "retries": retries = ReadInt(value, fieldPath); break;
                case "timeoutSeconds": timeoutSeconds = ReadInt(value, fieldPath); break;
                case "configureTimeoutSeconds": configureTimeoutSeconds = ReadInt(value, fieldPath); break;
                case "maxConcurrency": maxConcurrency = ReadInt(value, fieldPath); break;
                case "version": version = ReadString(value, fieldPath); break;
                case "executor": executor = ReadExecutor(value, fieldPath); break;
                case "locations": locations = ReadStrings(value, fieldPath); break;
                case "existsVerb": existsVerb = ReadBool(value, fieldPath); break;
                case "codeKey": codeKey = ReadString(value, fieldPath); break;
                default: _issues.Add(new(GraphManifestProblemKind.Syntax, fieldPath, ManifestFields.Unknown(name, ManifestFields.Job, "a job"))); break;
            }
        }
        return new JobDefinition(label, command, outputs)
        {
            Retries = retries ?? 0,
            TimeoutSeconds = timeoutSeconds,
            ConfigureTimeoutSeconds = configureTimeoutSeconds,
            MaxConcurrency = maxConcurrency,
            Version = version,
            Executor = executor,
            Locations = locations,
            ExistsVerb = existsVerb,
            CodeKey = codeKey,
        };
    }

    // The kind's name is checked here, the resources with the job's other rules (GraphManifestValidator).
    private JobExecutor ReadExecutor(JsonElement value, string path)
    {
        if (!Expect(value, JsonValueKind.Object, path, "must be an object such as {\"kind\": \"slurm\"}")) return JobExecutor.Local;
        var kind = ExecutorKind.Local;
        string? partition = null, memory = null, timeLimit = null;
        int? cpus = null;
        var hasKind = false;
        foreach (var (name, field, fieldPath) in Properties(value, path))
        {
            switch (name)
            {
                case "kind":
                    hasKind = true;
                    var kindName = ReadString(field, fieldPath);
                    if (JobExecutor.ParseKind(kindName) is { } parsed) kind = parsed;
                    else _issues.Add(new(GraphManifestProblemKind.InvalidExecutor, fieldPath,
                        $"unknown executor '{kindName}'; the executors are {string.Join(", ", JobExecutor.KindNames)}"));
                    break;
                case "partition": partition = ReadString(field, fieldPath); break;
                case "cpus": cpus = ReadInt(field, fieldPath); break;
                case "memory": memory = ReadString(field, fieldPath); break;
                case "timeLimit": timeLimit = ReadString(field, fieldPath); break;
                default: _issues.Add(new(GraphManifestProblemKind.Syntax, fieldPath, ManifestFields.Unknown(name, ManifestFields.Executor, "an executor"))); break;
            }
        }
        if (!hasKind) _issues.Add(new(GraphManifestProblemKind.InvalidExecutor, path, $"the executor has no kind; it is one of {string.Join(", ", JobExecutor.KindNames)}"));
        return new JobExecutor(kind, partition, cpus, memory, timeLimit);
    }

    /// <summary>The properties of <paramref name="element"/>, each name once: a repeated one is reported here.</summary>
    private List<(string Name, JsonElement Value, string Path)> Properties(JsonElement element, string path)
    {
        var properties = new List<(string, JsonElement, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var propertyPath = JsonPaths.Property(path, property.Name);
            if (seen.Add(property.Name)) properties.Add((property.Name, property.Value, propertyPath));
            else _issues.Add(new(GraphManifestProblemKind.Syntax, propertyPath, $"the field '{property.Name}' appears more than once"));
        }
        return properties;
    }

    // Names are environment variable names: no '=' and not empty, as a process environment requires.
    private void ReadEnvironment(JsonElement value, string path)
    {
        if (!Expect(value, JsonValueKind.Object, path, "must be an object of names and string values")) return;
        foreach (var (name, variable, variablePath) in Properties(value, path))
        {
            if (name.Length == 0 || name.Contains('='))
                _issues.Add(new(GraphManifestProblemKind.Syntax, variablePath, $"'{name}' is not an environment variable name (it is empty or has '=')"));
            else
                _environment[name] = ReadString(variable, variablePath);
        }
    }

    private bool ReadBool(JsonElement value, string path)
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return value.GetBoolean();
        Unusable(GraphManifestProblemKind.Syntax, path, $"must be true or false, got {Describe(value)}");
        return false;
    }

    private string ReadString(JsonElement value, string path) =>
        Expect(value, JsonValueKind.String, path, "must be a string") ? value.GetString()! : "";

    // A non-string element becomes "" so the others keep their indexes; its issue hides any later one about it.
    private List<string> ReadStrings(JsonElement value, string path)
    {
        if (!Expect(value, JsonValueKind.Array, path, "must be an array of strings")) return [];
        var index = 0;
        return value.EnumerateArray().Select(element => ReadString(element, JsonPaths.Element(path, index++))).ToList();
    }

    private List<PartitionPattern> ReadPatterns(JsonElement value, string path, List<int> positions)
    {
        var patterns = new List<PartitionPattern>();
        if (!Expect(value, JsonValueKind.Array, path, "must be an array of pattern strings")) return patterns;
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            var elementPath = JsonPaths.Element(path, index++);
            if (!Expect(element, JsonValueKind.String, elementPath, "must be a pattern string")) continue;
            if (PartitionPattern.TryParse(element.GetString()!, out var pattern, out var problem))
            {
                patterns.Add(pattern!);
                positions.Add(index - 1);
            }
            else
            {
                Unusable(GraphManifestProblemKind.InvalidPattern, elementPath, $"invalid pattern '{element.GetString()}': {problem}");
            }
        }
        return patterns;
    }

    private int? ReadInt(JsonElement value, string path)
    {
        if (!Expect(value, JsonValueKind.Number, path, "must be a whole number")) return null;
        if (value.TryGetInt32(out var number)) return number;
        // Some generators write every number with a fraction: 2.0 is still a whole number.
        var isWhole = value.TryGetDouble(out var real) && real == Math.Floor(real);
        if (isWhole && real is >= int.MinValue and <= int.MaxValue) return (int)real;
        Unusable(GraphManifestProblemKind.InvalidNumber, path, isWhole || !double.IsFinite(real)
            ? $"must be a whole number between {int.MinValue} and {int.MaxValue}, got {value.GetRawText()}"
            : $"must be a whole number, got {value.GetRawText()}");
        return null;
    }

    private bool Expect(JsonElement value, JsonValueKind kind, string path, string requirement)
    {
        if (value.ValueKind == kind) return true;
        Unusable(GraphManifestProblemKind.Syntax, path, $"{requirement}, got {Describe(value)}");
        return false;
    }

    // A value that could not be read: the rules about it are not checked, as they would only repeat this.
    private void Unusable(GraphManifestProblemKind kind, string path, string message)
    {
        _issues.Add(new(kind, path, message));
        _unusable.Add(path);
    }

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string {value.GetRawText()}",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{value.GetRawText()}",
        _ => "null",
    };

    // The parser appends "LineNumber: 3 | BytePositionInLine: 7." to its messages; the problem shows the position already.
    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut];
    }
}
