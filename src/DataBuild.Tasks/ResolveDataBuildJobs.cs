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
    private int _errors;

    /// <summary>This project's &lt;DataBuildJob&gt; items.</summary>
    [Required]
    public ITaskItem[] Jobs { get; set; } = [];

    /// <summary>This project's &lt;DataBuildGraph&gt; items: the graph projects it composes.</summary>
    public ITaskItem[] Graphs { get; set; } = [];

    /// <summary>The resolved jobs of the graph projects this one composes.</summary>
    public ITaskItem[] ComposedJobs { get; set; } = [];

    /// <summary>The built programs of the job projects: TargetPath items with MSBuildSourceProjectFile.</summary>
    public ITaskItem[] JobTargetPaths { get; set; } = [];

    [Required]
    public string GraphLabel { get; set; } = "";

    [Required]
    public string GraphProject { get; set; } = "";

    [Output]
    public ITaskItem[] ResolvedJobs { get; private set; } = [];

    public override bool Execute()
    {
        foreach (var graph in Graphs.Where(g => !File.Exists(g.GetMetadata("FullPath"))))
            Error(ErrorCodes.MissingProject, graph.GetMetadata("DefiningProjectFullPath"),
                $"the composed graph project '{graph.ItemSpec}' does not exist (looked for {graph.GetMetadata("FullPath")})");
        var jobs = Jobs.Select(Resolve).OfType<ResolvedJob>().Concat(ComposedJobs.Select(ResolvedJob.FromItem)).ToList();
        if (GraphLabels.Problem(GraphLabel) is { } labelProblem)
            Error(ErrorCodes.InvalidLabel, GraphProject, $"the graph label is invalid: {labelProblem}; set DataBuildGraphLabel");
        CheckDuplicateLabels(jobs);
        CheckIdenticalPatterns(jobs);
        if (Log.HasLoggedErrors) return false;
        // Core holds the remaining rules (number ranges, among others); they are checked once the item-level ones pass.
        try
        {
            _ = new GraphManifest(GraphLabel, jobs.Select(j => j.ToDefinition([j.IsProjectJob ? j.TargetPath : j.Command])));
        }
        catch (GraphManifestException e)
        {
            foreach (var problem in e.Problems) ReportCoreProblem(problem, jobs);
            return false;
        }
        ResolvedJobs = PublishFolders.Assign(jobs).Select(j => j.ToItem()).ToArray();
        return true;
    }

    private ResolvedJob? Resolve(ITaskItem item)
    {
        var label = item.ItemSpec;
        var declaredIn = item.GetMetadata("DefiningProjectFullPath");
        // Relative to the graph project, as MSBuild takes the paths of items, and as the project references to the
        // job projects (Sdk.targets) were found.
        var directory = Path.GetDirectoryName(GraphProject)!;
        var project = item.GetMetadata(JobMetadata.Project);
        var command = item.GetMetadata(JobMetadata.Command);
        var errorsBefore = _errors;

        if (GraphLabels.Problem(label) is { } labelProblem)
            Error(ErrorCodes.InvalidLabel, declaredIn, $"job '{label}': {labelProblem}");
        if (project.Length > 0 == command.Length > 0)
            Error(ErrorCodes.ProjectOrCommand, declaredIn, $"job '{label}' must have exactly one of Project (a .NET job project) and Command (an executable)");

        var projectPath = project.Length > 0 ? Path.GetFullPath(Path.Combine(directory, project)) : "";
        if (project.Length > 0 && !File.Exists(projectPath))
            Error(ErrorCodes.MissingProject, declaredIn, $"job '{label}': the project '{project}' does not exist (looked for {projectPath})");

        var commandPath = command.Length > 0 ? CommandPath(directory, command) : "";
        if (command.Length > 0 && Path.IsPathRooted(commandPath) && !File.Exists(commandPath))
            Error(ErrorCodes.MissingCommand, declaredIn, $"job '{label}': the command '{command}' does not exist (looked for {commandPath})");

        var outputs = OutputPatterns.Split(item.GetMetadata(JobMetadata.Outputs));
        if (outputs.Count == 0)
            Error(ErrorCodes.NoOutputs, declaredIn, $"job '{label}' has no Outputs; list the patterns of the partitions it produces, e.g. Outputs=\"reviews/date={{date}}\"");
        foreach (var output in outputs)
        {
            if (!PartitionPattern.TryParse(output, out _, out var problem))
                Error(ErrorCodes.InvalidPattern, declaredIn, $"job '{label}': invalid pattern '{output}' in Outputs: {problem}");
        }

        var retries = Number(item, JobMetadata.Retries, label, declaredIn);
        var timeout = Number(item, JobMetadata.TimeoutSeconds, label, declaredIn);
        var configureTimeout = Number(item, JobMetadata.ConfigureTimeoutSeconds, label, declaredIn);
        var maxConcurrency = Number(item, JobMetadata.MaxConcurrency, label, declaredIn);

        var targetPath = "";
        if (project.Length > 0 && File.Exists(projectPath))
        {
            targetPath = JobTargetPaths.FirstOrDefault(t => SamePath(t.GetMetadata("MSBuildSourceProjectFile"), projectPath))?.ItemSpec ?? "";
            if (targetPath.Length == 0)
                Error(ErrorCodes.NoProgram, declaredIn, $"job '{label}': building '{project}' produced no program (its GetTargetPath is empty); a job project must be a console application");
        }

        if (_errors > errorsBefore) return null;
        return new ResolvedJob(label, outputs, retries, timeout, configureTimeout, maxConcurrency, item.GetMetadata(JobMetadata.Version),
            projectPath, targetPath, commandPath, declaredIn);
    }

    // A path (it has a separator or starts with '.') is taken from the graph project's folder; a bare name
    // such as 'python3' is left for the operating system to find on PATH, as the manifest does (CommandPaths).
    private static string CommandPath(string directory, string command) =>
        command.StartsWith('.') || command.Contains('/') || command.Contains('\\') || Path.IsPathRooted(command)
            ? Path.GetFullPath(Path.Combine(directory, command))
            : command;

    private int? Number(ITaskItem item, string name, string label, string declaredIn)
    {
        var text = item.GetMetadata(name).Trim();
        if (text.Length == 0) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)) return value;
        Error(ErrorCodes.InvalidNumber, declaredIn, $"job '{label}': {name} must be a whole number, got '{text}'");
        return null;
    }

    private void CheckDuplicateLabels(IReadOnlyList<ResolvedJob> jobs)
    {
        foreach (var group in jobs.GroupBy(j => j.Label, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var first = group.First();
            foreach (var other in group.Skip(1))
            {
                var where = first.DefiningProject == other.DefiningProject ? $"in {first.DefiningProject}" : $"in {first.DefiningProject} and in {other.DefiningProject}";
                Error(ErrorCodes.DuplicateLabel, other.DefiningProject, $"the job label '{other.Label}' is declared twice, {where}; labels must be unique in a graph");
            }
        }
    }

    private void CheckIdenticalPatterns(IReadOnlyList<ResolvedJob> jobs)
    {
        var first = new Dictionary<string, (ResolvedJob Job, string Pattern)>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            foreach (var pattern in job.Outputs)
            {
                var key = PatternEquivalence.Key(PartitionPattern.Parse(pattern));
                if (first.TryAdd(key, (job, pattern))) continue;
                var (owner, ownerPattern) = first[key];
                Error(ErrorCodes.IdenticalPatterns, job.DefiningProject,
                    $"the pattern '{pattern}' of job '{job.Label}' ({job.DefiningProject}) matches the same partitions as '{ownerPattern}' " +
                    $"of job '{owner.Label}' ({owner.DefiningProject}); every partition must have exactly one producing job");
            }
        }
    }

    private void ReportCoreProblem(GraphManifestProblem problem, IReadOnlyList<ResolvedJob> jobs)
    {
        var job = problem.Job is null ? null : jobs.FirstOrDefault(j => j.Label == problem.Job);
        var field = problem.JsonPath[(problem.JsonPath.LastIndexOf('.') + 1)..];
        var code = field is "retries" or "timeoutSeconds" or "configureTimeoutSeconds" or "maxConcurrency" ? ErrorCodes.InvalidNumber : ErrorCodes.InvalidGraph;
        Error(code, job?.DefiningProject ?? GraphProject, job is null ? problem.Message : $"job '{job.Label}': {problem.Message}");
    }

    private static bool SamePath(string a, string b) => a.Length > 0 && string.Equals(Path.GetFullPath(a), b, StringComparison.Ordinal);

    private void Error(string code, string file, string message)
    {
        _errors++;
        Log.LogError(null, code, null, file, 0, 0, 0, 0, message);
    }
}
