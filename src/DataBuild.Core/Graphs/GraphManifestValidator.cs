using DataBuild.Refs;

namespace DataBuild.Graphs;

/// <summary>
/// The rules a graph follows whether it was read from JSON or built in code. Each issue points at the JSON
/// path the field has (or would have) in graph.json, so problems read alike from either source.
/// </summary>
internal sealed class GraphManifestValidator
{
    private readonly IReadOnlyList<JobDefinition> _jobs;
    private readonly IReadOnlyList<IReadOnlyList<int>>? _outputPositions;
    private readonly List<ManifestIssue> _issues = [];

    private GraphManifestValidator(IReadOnlyList<JobDefinition> jobs, IReadOnlyList<IReadOnlyList<int>>? outputPositions)
    {
        _jobs = jobs;
        _outputPositions = outputPositions;
    }

    /// <param name="outputPositions">
    /// For each job, the JSON index of each of its outputs, when the reader left invalid patterns out;
    /// null when outputs are numbered as they stand.
    /// </param>
    public static List<ManifestIssue> Check(string label, IReadOnlyList<JobDefinition> jobs, IReadOnlyList<IReadOnlyList<int>>? outputPositions = null,
        IReadOnlyList<UpstreamGraph>? upstreams = null)
    {
        var validator = new GraphManifestValidator(jobs, outputPositions);
        validator.CheckGraphLabel(label);
        for (var i = 0; i < jobs.Count; i++) validator.CheckJob(i);
        validator.CheckDuplicateLabels();
        validator.CheckSharedPatterns();
        validator._issues.AddRange(UpstreamRules.Check(jobs, upstreams ?? []));
        return validator._issues;
    }

    /// <summary>
    /// A program given as a path (relative ones resolve against <paramref name="folder"/>) must be an existing,
    /// executable file; a bare name is left to PATH (<see cref="CommandPaths"/>), unless PATH lacks it and the
    /// folder has a file of that name, which the author meant to run as <c>./name</c>. This runs only when a
    /// manifest is loaded to be used, or its declarations checked: a manifest built in code may well be written
    /// before the job executables it names are built.
    /// </summary>
    public static IEnumerable<ManifestIssue> CheckCommandFiles(string folder, IReadOnlyList<JobDefinition> jobs)
    {
        for (var i = 0; i < jobs.Count; i++)
        {
            if (jobs[i].Command is not [var program, ..] || program.Length == 0) continue;
            var path = JsonPaths.Element(JsonPaths.Property(JsonPaths.Job(i), "command"), 0);
            var resolved = CommandPaths.Resolve(folder, program);
            if (!CommandPaths.IsPath(program))
            {
                if (ExecutableSearch.Resolve(program) is null && File.Exists(Path.Combine(folder, program)))
                    yield return new(GraphManifestProblemKind.CommandBesideManifest, path,
                        $"the command '{program}' is not a program on PATH, but {folder} has a file of that name; write './{program}' to run it") { Value = program };
            }
            else if (!File.Exists(resolved))
                yield return new(GraphManifestProblemKind.CommandNotFound, path,
                    $"the command '{program}' resolves to '{resolved}', which is not an existing file") { Value = program };
            else if (!ExecutableSearch.IsExecutable(resolved))
                yield return new(GraphManifestProblemKind.CommandNotExecutable, path,
                    $"the command '{program}' ({resolved}) is not executable; make it so with: chmod +x '{resolved}'") { Value = resolved };
        }
    }

    private void CheckGraphLabel(string label)
    {
        if (GraphLabels.Problem(label) is { } problem)
            _issues.Add(new(GraphManifestProblemKind.InvalidLabel, JsonPaths.Property(JsonPaths.Root, "label"), label.Length == 0 ? "the graph has no label" : problem) { Value = label });
    }

    private void CheckJob(int index)
    {
        var job = _jobs[index];
        var path = JsonPaths.Job(index);
        if (GraphLabels.Problem(job.Label) is { } labelProblem)
            _issues.Add(new(GraphManifestProblemKind.InvalidLabel, JsonPaths.Property(path, "label"), job.Label.Length == 0 ? "the job has no label" : labelProblem) { Value = job.Label });

        var command = JsonPaths.Property(path, "command");
        if (job.Command.Count == 0)
            _issues.Add(new(GraphManifestProblemKind.NoCommand, command, "the command is missing or empty; it lists the program and its leading arguments"));
        else if (string.IsNullOrWhiteSpace(job.Command[0]))
            _issues.Add(new(GraphManifestProblemKind.NoCommand, JsonPaths.Element(command, 0), "the program (the first element of the command) must not be empty"));

        if (job.Outputs.Count == 0)
            _issues.Add(new(GraphManifestProblemKind.NoOutputs, JsonPaths.Property(path, "outputs"), "the outputs are missing or empty; a job produces at least one pattern"));
        for (var k = 0; k < job.Outputs.Count; k++)
        {
            if (job.Outputs[k].Ambiguity is { } ambiguity)
                _issues.Add(new(GraphManifestProblemKind.AmbiguousPattern, OutputPath(index, k),
                    $"the pattern '{job.Outputs[k]}' is ambiguous: {ambiguity}; separate them with literal text, as in 'a/{{x}}-{{y}}' or 'a/{{x}}/{{y}}'")
                {
                    Value = job.Outputs[k].Text,
                });
        }

        if (job.Retries < 0)
            _issues.Add(new(GraphManifestProblemKind.InvalidNumber, JsonPaths.Property(path, "retries"), $"retries must not be negative, got {job.Retries}"));
        if (job.TimeoutSeconds < 1)
            _issues.Add(new(GraphManifestProblemKind.InvalidNumber, JsonPaths.Property(path, "timeoutSeconds"), $"timeoutSeconds must be at least 1 (leave it out for no timeout), got {job.TimeoutSeconds}"));
        if (job.ConfigureTimeoutSeconds < 1)
            _issues.Add(new(GraphManifestProblemKind.InvalidNumber, JsonPaths.Property(path, "configureTimeoutSeconds"), $"configureTimeoutSeconds must be at least 1 (leave it out for the default of {JobDefinition.DefaultConfigureTimeoutSeconds}), got {job.ConfigureTimeoutSeconds}"));
        if (job.MaxConcurrency < 1)
            _issues.Add(new(GraphManifestProblemKind.InvalidNumber, JsonPaths.Property(path, "maxConcurrency"), $"maxConcurrency must be at least 1 (leave it out for no limit), got {job.MaxConcurrency}"));
        foreach (var (field, problem) in job.Executor.Problems())
            _issues.Add(new(GraphManifestProblemKind.InvalidExecutor, JsonPaths.Property(JsonPaths.Property(path, "executor"), field), problem));
        _issues.AddRange(OutputLocations.Check(job, JsonPaths.Property(path, "locations")));
    }

    private void CheckDuplicateLabels()
    {
        var firstIndexByLabel = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _jobs.Count; i++)
        {
            if (_jobs[i].Label.Length == 0) continue;
            if (firstIndexByLabel.TryGetValue(_jobs[i].Label, out var first))
                _issues.Add(new(GraphManifestProblemKind.DuplicateLabel, JsonPaths.Property(JsonPaths.Job(i), "label"),
                    $"the label '{_jobs[i].Label}' is already used by the job at {JsonPaths.Job(first)}") { Value = _jobs[i].Label, ConflictingJob = first });
            else
                firstIndexByLabel.Add(_jobs[i].Label, i);
        }
    }

    // Overlapping patterns such as 'a/{x}' and 'a/*' are only caught at lookup, for the refs that hit both;
    // equivalent ones are certain to collide, so they are refused up front, within a job or across jobs.
    private void CheckSharedPatterns()
    {
        var firstDeclaration = new Dictionary<string, (int Job, int Output)>(StringComparer.Ordinal);
        for (var i = 0; i < _jobs.Count; i++)
        {
            for (var k = 0; k < _jobs[i].Outputs.Count; k++)
            {
                var pattern = _jobs[i].Outputs[k];
                if (!firstDeclaration.TryAdd(PatternEquivalence.Key(pattern), (i, k)))
                {
                    var (firstJob, firstOutput) = firstDeclaration[PatternEquivalence.Key(pattern)];
                    var other = _jobs[firstJob];
                    var owner = firstJob == i ? "this job" : other.Label.Length > 0 ? $"job '{other.Label}'" : "an unlabelled job";
                    _issues.Add(new(GraphManifestProblemKind.SamePatterns, OutputPath(i, k),
                        $"the pattern '{pattern}' matches the same refs as '{other.Outputs[firstOutput]}' of {owner} ({OutputPath(firstJob, firstOutput)})"
                        + (firstJob == i ? "" : "; every ref it matches would be ambiguous"))
                    {
                        Value = pattern.Text,
                        ConflictingJob = firstJob,
                        ConflictingValue = other.Outputs[firstOutput].Text,
                    });
                }
            }
        }
    }

    private string OutputPath(int job, int output) =>
        JsonPaths.Element(JsonPaths.Property(JsonPaths.Job(job), "outputs"), _outputPositions is null ? output : _outputPositions[job][output]);
}
