namespace DataBuild.Tasks;

/// <summary>The metadata names of the job items, as users write them on &lt;DataBuildJob&gt; and as resolved jobs carry them.</summary>
internal static class JobMetadata
{
    public const string Project = "Project";
    public const string Command = "Command";
    public const string Outputs = "Outputs";
    public const string Retries = "Retries";
    public const string TimeoutSeconds = "TimeoutSeconds";
    public const string ConfigureTimeoutSeconds = "ConfigureTimeoutSeconds";
    public const string MaxConcurrency = "MaxConcurrency";
    public const string Version = "Version";
    public const string Locations = "Locations";
    public const string ExistsVerb = "ExistsVerb";
    public const string CodeFiles = "CodeFiles";

    // The executor (docs/executors.md): Executor="slurm" and the resources each run asks Slurm for.
    public const string Executor = "Executor";
    public const string SlurmPartition = "SlurmPartition";
    public const string Cpus = "Cpus";
    public const string Memory = "Memory";
    public const string TimeLimit = "TimeLimit";
    public static readonly IReadOnlyList<string> ExecutorNames = [Executor, SlurmPartition, Cpus, Memory, TimeLimit];

    /// <summary>
    /// Every metadata a &lt;DataBuildJob&gt; may have: any other is a misspelling, warned about (DB0014) with the
    /// closest of these. A new metadata is added here and nowhere else.
    /// </summary>
    public static readonly IReadOnlyList<string> Declared = [Project, Command, Outputs, Retries, TimeoutSeconds, ConfigureTimeoutSeconds, MaxConcurrency, Version,
        Locations, ExistsVerb, CodeFiles, .. ExecutorNames];

    // Set on resolved jobs only.
    public const string TargetPath = "TargetPath";
    public const string DefiningProject = "DefiningProject";
    public const string PublishFolder = "PublishFolder";
    public const string CodeKey = "CodeKey";
}
