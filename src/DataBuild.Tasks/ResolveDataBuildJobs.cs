using System.Globalization;
using DataBuild.Graphs;
using DataBuild.Refs;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DataBuild.Tasks;

/// <summary>
/// Turns the &lt;DataBuildJob&gt; items of a graph project, plus the jobs of the graphs it composes, into
/// validated jobs with absolute paths. Every problem is an error with its DB code and the declaring project
/// file as location, and all of them are reported in one build, not one per build.
/// </summary>
public sealed class ResolveDataBuildJobs : Microsoft.Build.Utilities.Task
{
    private const string JobItem = "DataBuildJob";
    private const string GraphItem = "DataBuildGraph";
    private readonly ItemLocations _locations = new();
    private int _errors;

    /// <summary>This project's &lt;DataBuildJob&gt; items.</summary>
    [Required]
    public ITaskItem[] Jobs { get; set; } = [];

    /// <summary>This project's &lt;DataBuildGraph&gt; items: the graph projects it composes.</summary>
    public ITaskItem[] Graphs { get; set; } = [];

    /// <summary>The resolved jobs of the graph projects this one composes.</summary>
    public ITaskItem[] ComposedJobs { get; set; } = [];

    /// <summary>This project's &lt;DataBuildUpstream&gt; items: the graphs whose partitions it reads.</summary>
    public ITaskItem[] Upstreams { get; set; } = [];

    /// <summary>The resolved upstreams of the graph projects this one composes.</summary>
    public ITaskItem[] ComposedUpstreams { get; set; } = [];

    /// <summary>The built programs of the job projects: TargetPath items with MSBuildSourceProjectFile.</summary>
    public ITaskItem[] JobTargetPaths { get; set; } = [];

    [Required]
    public string GraphLabel { get; set; } = "";

    [Required]
    public string GraphProject { get; set; } = "";

    [Output]
    public ITaskItem[] ResolvedJobs { get; private set; } = [];

    /// <summary>This graph's upstreams and those of the graphs it composes, one item per service.</summary>
    [Output]
    public ITaskItem[] ResolvedUpstreams { get; private set; } = [];

    public override bool Execute()
    {
        foreach (var graph in Graphs.Where(g => !File.Exists(g.GetMetadata("FullPath"))))
            Error(ErrorCodes.MissingProject, graph.GetMetadata("DefiningProjectFullPath"),
                $"the composed graph project '{graph.ItemSpec}' does not exist (looked for {graph.GetMetadata("FullPath")})", graph.ItemSpec, GraphItem);
        var declared = Jobs.Select(Resolve).OfType<(ResolvedJob Job, string Command)>()
            .Concat(ComposedJobs.Select(ResolvedJob.FromItem).Select(j => (Job: j, j.Command)))
            .ToList();
        var jobs = declared.Select(d => d.Job).ToList();
        // The graph's rules are Core's, checked as a loaded manifest is checked; only how they are told is MSBuild's.
        var definitions = jobs.Select(j => j.ToDefinition(j.IsProjectJob ? [DotNetProgram, j.TargetPath] : [j.Command])).ToList();
        var upstreamItems = UpstreamItems.Compose(Upstreams, ComposedUpstreams, (item, message) => Error(ErrorCodes.InvalidUpstream, UpstreamItems.DeclaredIn(item), message));
        var upstreams = UpstreamItems.Read(upstreamItems, resolveTokenFiles: true, (item, pattern, problem) =>
            Error(ErrorCodes.InvalidPattern, UpstreamItems.DeclaredIn(item), $"upstream '{item.ItemSpec}': invalid pattern '{pattern}' in Patterns: {problem}"));
        foreach (var problem in GraphManifest.Check(GraphLabel, definitions, Path.GetDirectoryName(GraphProject), upstreams))
        {
            if (problem.UpstreamIndex is { } upstream)
                Error(ErrorCodes.InvalidUpstream, UpstreamItems.DeclaredIn(upstreamItems[upstream]), $"upstream '{upstreamItems[upstream].ItemSpec}': {problem.Message}");
            else
                Report(problem, declared);
        }
        if (Log.HasLoggedErrors) return false;
        ResolvedJobs = PublishFolders.Assign(jobs).Select(j => j.ToItem()).ToArray();
        ResolvedUpstreams = upstreamItems;
        return true;
    }

    // A job project runs as 'dotnet <its assembly>' (the manifest names the host): checked as that, a bare
    // program, so an assembly a design-time build has not built yet is not taken for a missing command.
    private const string DotNetProgram = "dotnet";

    /// <summary>The job, and its Command as declared; null after reporting what only the item can tell (its metadata's text).</summary>
    private (ResolvedJob Job, string Command)? Resolve(ITaskItem item)
    {
        var label = item.ItemSpec;
        var declaredIn = item.GetMetadata("DefiningProjectFullPath");
        // Relative to the graph project, as MSBuild takes the paths of items, and as the project references to the
        // job projects (Sdk.targets) were found.
        var directory = Path.GetDirectoryName(GraphProject)!;
        var project = item.GetMetadata(JobMetadata.Project);
        var command = item.GetMetadata(JobMetadata.Command);
        var errorsBefore = _errors;
        WarnUnknownMetadata(item, declaredIn);

        if (project.Length > 0 == command.Length > 0)
            Error(ErrorCodes.ProjectOrCommand, declaredIn, $"job '{label}' must have exactly one of Project (a .NET job project) and Command (an executable)", label);

        var projectPath = project.Length > 0 ? Path.GetFullPath(Path.Combine(directory, project)) : "";
        if (project.Length > 0 && !File.Exists(projectPath))
            Error(ErrorCodes.MissingProject, declaredIn, $"job '{label}': the project '{project}' does not exist (looked for {projectPath})", label);

        var commandPath = command.Length > 0 ? CommandPaths.Resolve(directory, command) : "";
        var outputs = OutputPatterns.Split(item.GetMetadata(JobMetadata.Outputs));
        foreach (var output in outputs)
        {
            if (!PartitionPattern.TryParse(output, out _, out var problem))
                Error(ErrorCodes.InvalidPattern, declaredIn, $"job '{label}': invalid pattern '{output}' in Outputs: {problem}", label);
        }

        var retries = Number(item, JobMetadata.Retries, label, declaredIn);
        var timeout = Number(item, JobMetadata.TimeoutSeconds, label, declaredIn);
        var configureTimeout = Number(item, JobMetadata.ConfigureTimeoutSeconds, label, declaredIn);
        var maxConcurrency = Number(item, JobMetadata.MaxConcurrency, label, declaredIn);
        var executor = ReadExecutor(item, label, declaredIn);

        var targetPath = "";
        if (project.Length > 0 && File.Exists(projectPath))
        {
            targetPath = JobTargetPaths.FirstOrDefault(t => SamePath(t.GetMetadata("MSBuildSourceProjectFile"), projectPath))?.ItemSpec ?? "";
            if (targetPath.Length == 0)
                Error(ErrorCodes.NoProgram, declaredIn, $"job '{label}': building '{project}' produced no program (its GetTargetPath is empty); a job project must be a console application", label);
        }

        var existsVerb = item.GetMetadata(JobMetadata.ExistsVerb).Trim();
        if (existsVerb.Length > 0 && !bool.TryParse(existsVerb, out _))
            Error(ErrorCodes.InvalidExistsVerb, declaredIn, $"job '{label}': ExistsVerb must be true or false, got '{existsVerb}'", label);

        var codeFiles = OutputPatterns.Split(item.GetMetadata(JobMetadata.CodeFiles)).Select(f => Path.GetFullPath(Path.Combine(directory, f))).ToArray();
        foreach (var missing in codeFiles.Where(f => !File.Exists(f)))
            Error(ErrorCodes.MissingCodeFile, declaredIn, $"job '{label}': the code file '{missing}' (CodeFiles) does not exist", label);

        if (_errors > errorsBefore) return null;
        // The code identity (docs/concepts.md#staleness): the built program, or the command file and its code files.
        var codeKey = targetPath.Length > 0 ? CodeKeys.OfFiles([.. CodeKeys.AssemblyFiles(targetPath), .. codeFiles])
            : CommandPaths.IsPath(command) && File.Exists(commandPath) ? CodeKeys.OfFiles([commandPath, .. codeFiles])
            : codeFiles.Length > 0 ? CodeKeys.OfFiles(codeFiles) : "";
        return (new ResolvedJob(label, outputs, retries, timeout, configureTimeout, maxConcurrency, item.GetMetadata(JobMetadata.Version),
            projectPath, targetPath, commandPath, declaredIn, Executor: executor)
        {
            Locations = OutputPatterns.Split(item.GetMetadata(JobMetadata.Locations)),
            ExistsVerb = existsVerb.Equals("true", StringComparison.OrdinalIgnoreCase),
            CodeKey = codeKey,
        }, command);
    }

    // Executor="slurm" SlurmPartition="debug" Cpus="2" Memory="4G" TimeLimit="00:30:00"; null when none is set.
    private JobExecutor? ReadExecutor(ITaskItem item, string label, string declaredIn)
    {
        if (JobMetadata.ExecutorNames.All(name => item.GetMetadata(name).Trim().Length == 0)) return null;
        var kindName = item.GetMetadata(JobMetadata.Executor).Trim();
        var kind = kindName.Length == 0 ? ExecutorKind.Local : JobExecutor.ParseKind(kindName.ToLowerInvariant());
        if (kind is null)
        {
            Error(ErrorCodes.InvalidExecutor, declaredIn, $"job '{label}': unknown Executor '{kindName}'; the executors are {string.Join(", ", JobExecutor.KindNames)}", label);
            return null;
        }
        string? Text(string name) => item.GetMetadata(name).Trim() is { Length: > 0 } text ? text : null;
        var executor = new JobExecutor(kind.Value, Text(JobMetadata.SlurmPartition), Number(item, JobMetadata.Cpus, label, declaredIn),
            Text(JobMetadata.Memory), Text(JobMetadata.TimeLimit));
        foreach (var (field, problem) in executor.Problems())
            Error(ErrorCodes.InvalidExecutor, declaredIn, $"job '{label}': {MetadataOf(field)}: {problem}", label);
        return executor;
    }

    private static string MetadataOf(string field) => field switch
    {
        "partition" => JobMetadata.SlurmPartition,
        "cpus" => JobMetadata.Cpus,
        "memory" => JobMetadata.Memory,
        "timeLimit" => JobMetadata.TimeLimit,
        _ => JobMetadata.Executor,
    };

    private int? Number(ITaskItem item, string name, string label, string declaredIn)
    {
        var text = item.GetMetadata(name).Trim();
        if (text.Length == 0) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        Error(ErrorCodes.InvalidNumber, declaredIn, $"job '{label}': {name} must be a whole number, got '{text}'", label);
        return null;
    }

    private void Report(GraphManifestProblem problem, IReadOnlyList<(ResolvedJob Job, string Command)> declared)
    {
        if (problem.JobIndex is not { } index)
        {
            var graphMessage = problem.Kind == GraphManifestProblemKind.InvalidLabel
                ? $"the graph label is invalid: {problem.Message}; set DataBuildGraphLabel"
                : problem.Message;
            Error(CodeOf(problem.Kind), GraphProject, graphMessage);
            return;
        }
        var (job, command) = declared[index];
        var first = problem.ConflictingJobIndex is { } other ? declared[other].Job : null;
        var message = problem.Kind switch
        {
            GraphManifestProblemKind.NoOutputs =>
                $"job '{job.Label}' has no Outputs; list the patterns of the partitions it produces, e.g. Outputs=\"reviews/date={{date}}\"",
            GraphManifestProblemKind.CommandNotFound =>
                $"job '{job.Label}': the command '{command}' does not exist (looked for {problem.Value})",
            GraphManifestProblemKind.CommandNotExecutable =>
                $"job '{job.Label}': the command '{command}' is not executable; run: chmod +x '{problem.Value}'",
            GraphManifestProblemKind.CommandBesideManifest =>
                $"job '{job.Label}': the command '{command}' is not a program on PATH, but the project folder has a file of that name; write Command=\"./{command}\" to run it",
            GraphManifestProblemKind.DuplicateLabel when first is not null =>
                $"the job label '{job.Label}' is declared twice, " +
                (first.DefiningProject == job.DefiningProject ? $"in {first.DefiningProject}" : $"in {first.DefiningProject} and in {job.DefiningProject}") +
                "; labels must be unique in a graph",
            GraphManifestProblemKind.SamePatterns when first is not null =>
                $"the pattern '{problem.Value}' of job '{job.Label}' ({job.DefiningProject}) matches the same partitions as '{problem.ConflictingValue}' " +
                $"of job '{first.Label}' ({first.DefiningProject}); every partition must have exactly one producing job",
            _ => $"job '{job.Label}': {problem.Message}",
        };
        // A repeated label is wrong where it is declared again.
        Error(CodeOf(problem.Kind), job.DefiningProject, message, job.Label, occurrence: problem.Kind == GraphManifestProblemKind.DuplicateLabel ? -1 : 0);
    }

    private void WarnUnknownMetadata(ITaskItem item, string declaredIn)
    {
        var custom = item.CloneCustomMetadata().Keys.Cast<string>();
        foreach (var name in custom.Where(n => !JobMetadata.Declared.Contains(n, StringComparer.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            var (line, column) = _locations.Of(declaredIn, JobItem, item.ItemSpec);
            var hint = ClosestName.Of(name, JobMetadata.Declared) is { } guess
                ? $"did you mean '{guess}'?"
                : $"a job has only {string.Join(", ", JobMetadata.Declared)}";
            Log.LogWarning(null, ErrorCodes.UnknownMetadata, null, declaredIn, line, column, 0, 0,
                $"job '{item.ItemSpec}': unknown metadata '{name}' is ignored; {hint}");
        }
    }

    private static string CodeOf(GraphManifestProblemKind kind) => kind switch
    {
        GraphManifestProblemKind.InvalidLabel => ErrorCodes.InvalidLabel,
        GraphManifestProblemKind.CommandNotFound => ErrorCodes.MissingCommand,
        GraphManifestProblemKind.CommandNotExecutable => ErrorCodes.CommandNotExecutable,
        GraphManifestProblemKind.CommandBesideManifest => ErrorCodes.CommandBesideProject,
        GraphManifestProblemKind.NoOutputs => ErrorCodes.NoOutputs,
        GraphManifestProblemKind.InvalidPattern => ErrorCodes.InvalidPattern,
        GraphManifestProblemKind.AmbiguousPattern => ErrorCodes.AmbiguousPattern,
        GraphManifestProblemKind.InvalidNumber => ErrorCodes.InvalidNumber,
        GraphManifestProblemKind.DuplicateLabel => ErrorCodes.DuplicateLabel,
        GraphManifestProblemKind.SamePatterns => ErrorCodes.IdenticalPatterns,
        GraphManifestProblemKind.InvalidExecutor => ErrorCodes.InvalidExecutor,
        GraphManifestProblemKind.InvalidLocation => ErrorCodes.InvalidLocation,
        _ => ErrorCodes.InvalidGraph,
    };

    private static bool SamePath(string a, string b) => a.Length > 0 && string.Equals(Path.GetFullPath(a), b, StringComparison.Ordinal);

    /// <summary>An error at the declaration of the <paramref name="itemType"/> item <paramref name="include"/> in <paramref name="file"/>, or at the file.</summary>
    private void Error(string code, string file, string message, string? include = null, string itemType = JobItem, int occurrence = 0)
    {
        _errors++;
        var (line, column) = include is null ? (0, 0) : _locations.Of(file, itemType, include, occurrence);
        Log.LogError(null, code, null, file, line, column, 0, 0, message);
    }
}
