namespace DataBuild.Graphs;

/// <summary>
/// A graph: its label, its jobs and the folder its relative commands live in (docs/concepts.md#graphs). Read one with
/// <see cref="Load"/>, or build one in code; either way it has been validated, and every problem found is
/// reported at once in a <see cref="GraphManifestException"/>.
/// </summary>
public sealed class GraphManifest
{
    public const string FileName = "graph.json";


    /// <summary>
    /// Builds and validates a manifest. Relative commands resolve against <paramref name="folder"/> (default:
    /// the current directory); they need not exist yet, since a generated manifest is often written before
    /// the executables it names are built. <see cref="Load"/> checks that they do.
    /// </summary>
    /// <param name="workingDirectory">Where jobs run and build state lives, relative to <paramref name="folder"/>; default: that folder.</param>
    /// <param name="environment">Environment variables for every job (see <see cref="JobEnvironment"/>).</param>
    /// <param name="upstreams">Graphs whose partitions this one reads but does not build (docs/service.md#upstream-graphs).</param>
    public GraphManifest(string label, IEnumerable<JobDefinition> jobs, string? folder = null, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, IEnumerable<UpstreamGraph>? upstreams = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(jobs);
        var jobList = jobs.ToArray();
        var upstreamList = (upstreams ?? []).ToArray();
        var issues = GraphManifestValidator.Check(label, jobList, upstreams: upstreamList);
        if (issues.Count > 0)
            throw new GraphManifestException($"'{label}' (built in code)", issues.Select(i => GraphManifestLoader.Problem(i, null, jobList, null)).ToArray());
        Label = label;
        Jobs = jobList.AsReadOnly();
        Upstreams = upstreamList.AsReadOnly();
        Folder = Path.GetFullPath(folder ?? System.Environment.CurrentDirectory);
        DeclaredWorkingDirectory = string.IsNullOrEmpty(workingDirectory) ? null : workingDirectory;
        WorkingDirectory = DeclaredWorkingDirectory is null ? Folder : Path.GetFullPath(Path.Combine(Folder, DeclaredWorkingDirectory));
        Environment = new SortedDictionary<string, string>(environment?.ToDictionary() ?? [], StringComparer.Ordinal).AsReadOnly();
    }

    /// <summary>The manifest's <c>environment</c>: variables every job's configure and exec get, by name.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>
    /// The variables a job process gets on top of the environment it inherits: the manifest's, except those the
    /// inherited environment already sets (a published graph's defaults give way to the machine it runs on), then
    /// <paramref name="configEnv"/> (what configure asked for), which wins over both.
    /// </summary>
    public Dictionary<string, string> JobEnvironment(IReadOnlyDictionary<string, string>? configEnv = null)
    {
        var env = Environment.Where(v => System.Environment.GetEnvironmentVariable(v.Key) is null).ToDictionary(v => v.Key, v => v.Value);
        foreach (var (name, value) in configEnv ?? new Dictionary<string, string>()) env[name] = value;
        return env;
    }

    public string Label { get; }

    /// <summary>The jobs in declaration order.</summary>
    public IReadOnlyList<JobDefinition> Jobs { get; }

    /// <summary>The upstream graphs, in declaration order.</summary>
    public IReadOnlyList<UpstreamGraph> Upstreams { get; }

    /// <summary>The upstream whose patterns match <paramref name="partitionRef"/>, or null when a job of this graph must produce it.</summary>
    public UpstreamGraph? UpstreamOf(string partitionRef)
    {
        foreach (var upstream in Upstreams)
            if (upstream.IsMatch(partitionRef)) return upstream;
        return null;
    }

    /// <summary>The absolute path of <paramref name="upstream"/>'s token file (relative ones resolve against <see cref="Folder"/>), or null.</summary>
    public string? TokenFileOf(UpstreamGraph upstream) =>
        upstream.TokenFile is { } file ? Path.GetFullPath(Path.Combine(Folder, file)) : null;

    /// <summary>The absolute folder the manifest was loaded from, against which relative commands resolve.</summary>
    public string Folder { get; }

    /// <summary>
    /// The folder jobs run in and where the graph's state (<c>.databuild/</c>: the default event log, job logs)
    /// lives: the manifest's folder unless the manifest names another. A manifest generated into a build's
    /// intermediate folder names its project's folder, so data and state do not move with the configuration.
    /// </summary>
    public string WorkingDirectory { get; }

    /// <summary>The <c>workingDirectory</c> as declared (relative to <see cref="Folder"/> or absolute), or null.</summary>
    public string? DeclaredWorkingDirectory { get; }

    /// <summary>The command to start <paramref name="job"/> with, its program resolved as <see cref="CommandPaths"/> explains.</summary>
    public IReadOnlyList<string> ResolveCommand(JobDefinition job) =>
        job.Command.Select((part, i) => i == 0 ? CommandPaths.Resolve(Folder, part) : part).ToArray();

    /// <summary>
    /// Every problem a graph of <paramref name="jobs"/> has, without building it: the rules the constructor
    /// applies and, when <paramref name="commandFolder"/> is given, the check <see cref="Load"/> makes that
    /// programs given as paths are existing files (relative ones taken from that folder). Surfaces that
    /// declare jobs in their own terms (the MSBuild tasks) report these by <see cref="GraphManifestProblem.Kind"/>
    /// and <see cref="GraphManifestProblem.JobIndex"/>.
    /// </summary>
    public static IReadOnlyList<GraphManifestProblem> Check(string label, IReadOnlyList<JobDefinition> jobs, string? commandFolder = null,
        IReadOnlyList<UpstreamGraph>? upstreams = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        ArgumentNullException.ThrowIfNull(jobs);
        var issues = GraphManifestValidator.Check(label, jobs, upstreams: upstreams);
        if (commandFolder is not null) issues.AddRange(GraphManifestValidator.CheckCommandFiles(commandFolder, jobs));
        return issues.Select(i => GraphManifestLoader.Problem(i, null, jobs, null)).ToArray();
    }

    /// <summary>
    /// Loads and validates graph.json from <paramref name="path"/>, a file or a folder holding
    /// <see cref="FileName"/>; throws <see cref="GraphManifestException"/> listing every problem.
    /// </summary>
    public static GraphManifest Load(string path) => GraphManifestLoader.Load(path);

    /// <summary>The manifest as graph.json text: indented, fields in a fixed order, defaults left out.</summary>
    public string ToJson() => GraphManifestWriter.ToJson(this);

    /// <summary>
    /// Writes <see cref="ToJson"/> to <paramref name="path"/>, a file or an existing folder, and returns the
    /// file written. Commands are written as declared, so relative ones resolve against the new folder.
    /// </summary>
    public string Save(string path)
    {
        var file = Path.GetFullPath(Directory.Exists(path) ? Path.Combine(path, FileName) : path);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        // Written beside the target and moved over it, so a reader never sees half a manifest.
        var temporary = $"{file}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(temporary, ToJson());
        File.Move(temporary, file, overwrite: true);
        return file;
    }

    public override string ToString() => Label;
}
