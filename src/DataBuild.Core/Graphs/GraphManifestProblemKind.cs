namespace DataBuild.Graphs;

/// <summary>
/// What kind of rule a <see cref="GraphManifestProblem"/> breaks, so that a surface can pick its own words and
/// codes (the MSBuild tasks map each kind to a DB code) without reading the message or the JSON path.
/// </summary>
public enum GraphManifestProblemKind
{
    /// <summary>The file is missing or not a manifest: not JSON, a wrong type, an unknown or repeated field.</summary>
    Syntax,

    /// <summary>The graph's or a job's label is empty or has a character labels may not have.</summary>
    InvalidLabel,

    /// <summary>A job has no command, or an empty program.</summary>
    NoCommand,

    /// <summary>A job's program is a path that is not an existing file.</summary>
    CommandNotFound,

    /// <summary>A job's program is a path to a file without the execute permission; <see cref="GraphManifestProblem.Value"/> is the file.</summary>
    CommandNotExecutable,

    /// <summary>A job's program is a bare name not found on PATH, while the manifest's folder has a file of that name (meant as <c>./name</c>).</summary>
    CommandBesideManifest,

    /// <summary>A job lists no output patterns.</summary>
    NoOutputs,

    /// <summary>An output pattern does not parse.</summary>
    InvalidPattern,

    /// <summary>An output pattern has two wildcards in a row, so where one capture ends is arbitrary.</summary>
    AmbiguousPattern,

    /// <summary>retries, timeoutSeconds or maxConcurrency is out of range.</summary>
    InvalidNumber,

    /// <summary>Two jobs have one label; <see cref="GraphManifestProblem.ConflictingJobIndex"/> is the first.</summary>
    DuplicateLabel,

    /// <summary>Two patterns match the same refs; <see cref="GraphManifestProblem.ConflictingJobIndex"/> declared the first.</summary>
    SamePatterns,

    /// <summary>The workingDirectory is empty or not a folder.</summary>
    InvalidWorkingDirectory,

    /// <summary>A job's locations are not one per output pattern, or one is empty or names other captures than its pattern's.</summary>
    InvalidLocation,

    /// <summary>An upstream graph has a bad URL, no patterns, a pattern a job or another upstream has, or an empty tokenFile.</summary>
    InvalidUpstream,

    /// <summary>A job's executor has an unknown kind, or a partition, cpus, memory or timeLimit Slurm would refuse.</summary>
    InvalidExecutor,
}
