using DataBuild.Graphs;
using DataBuild.Refs;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DataBuild.Tasks;

/// <summary>
/// A job declaration after validation, with absolute paths: the item that <see cref="ResolveDataBuildJobs"/>
/// returns, that a composing graph receives from the graph it composes, and that the manifest is written from.
/// Exactly one of <see cref="Project"/> (with its <see cref="TargetPath"/>) and <see cref="Command"/> is set.
/// </summary>
internal sealed record ResolvedJob(
    string Label,
    IReadOnlyList<string> Outputs,
    int? Retries,
    int? TimeoutSeconds,
    int? ConfigureTimeoutSeconds,
    int? MaxConcurrency,
    string Version,
    string Project,
    string TargetPath,
    string Command,
    string DefiningProject,
    string PublishFolder = "",
    JobExecutor? Executor = null)
{
    public bool IsProjectJob => Project.Length > 0;

    /// <summary>Where the outputs land, one per output pattern (docs/msbuild.md); empty when undeclared.</summary>
    public IReadOnlyList<string> Locations { get; init; } = [];

    /// <summary>The job answers the exists verb (ExistsVerb="true").</summary>
    public bool ExistsVerb { get; init; }

    /// <summary>The job's code identity, computed when it was resolved (<see cref="CodeKeys"/>).</summary>
    public string CodeKey { get; init; } = "";

    public static ResolvedJob FromItem(ITaskItem item) => new(
        item.ItemSpec,
        OutputPatterns.Split(item.GetMetadata(JobMetadata.Outputs)),
        ParseOptional(item.GetMetadata(JobMetadata.Retries)),
        ParseOptional(item.GetMetadata(JobMetadata.TimeoutSeconds)),
        ParseOptional(item.GetMetadata(JobMetadata.ConfigureTimeoutSeconds)),
        ParseOptional(item.GetMetadata(JobMetadata.MaxConcurrency)),
        item.GetMetadata(JobMetadata.Version),
        item.GetMetadata(JobMetadata.Project),
        item.GetMetadata(JobMetadata.TargetPath),
        item.GetMetadata(JobMetadata.Command),
        item.GetMetadata(JobMetadata.DefiningProject),
        item.GetMetadata(JobMetadata.PublishFolder),
        ExecutorOf(item))
    {
        Locations = OutputPatterns.Split(item.GetMetadata(JobMetadata.Locations)),
        ExistsVerb = item.GetMetadata(JobMetadata.ExistsVerb) == "true",
        CodeKey = item.GetMetadata(JobMetadata.CodeKey),
    };

    public ITaskItem ToItem()
    {
        var item = new TaskItem(Label);
        item.SetMetadata(JobMetadata.Outputs, string.Join(";", Outputs));
        item.SetMetadata(JobMetadata.Retries, Retries?.ToString() ?? "");
        item.SetMetadata(JobMetadata.TimeoutSeconds, TimeoutSeconds?.ToString() ?? "");
        item.SetMetadata(JobMetadata.ConfigureTimeoutSeconds, ConfigureTimeoutSeconds?.ToString() ?? "");
        item.SetMetadata(JobMetadata.MaxConcurrency, MaxConcurrency?.ToString() ?? "");
        item.SetMetadata(JobMetadata.Version, Version);
        item.SetMetadata(JobMetadata.Project, Project);
        item.SetMetadata(JobMetadata.TargetPath, TargetPath);
        item.SetMetadata(JobMetadata.Command, Command);
        item.SetMetadata(JobMetadata.DefiningProject, DefiningProject);
        item.SetMetadata(JobMetadata.PublishFolder, PublishFolder);
        if (Executor is { } executor)
        {
            item.SetMetadata(JobMetadata.Executor, JobExecutor.NameOf(executor.Kind));
            item.SetMetadata(JobMetadata.SlurmPartition, executor.Partition ?? "");
            item.SetMetadata(JobMetadata.Cpus, executor.Cpus?.ToString() ?? "");
            item.SetMetadata(JobMetadata.Memory, executor.Memory ?? "");
            item.SetMetadata(JobMetadata.TimeLimit, executor.TimeLimit ?? "");
        }
        item.SetMetadata(JobMetadata.Locations, string.Join(";", Locations));
        item.SetMetadata(JobMetadata.ExistsVerb, ExistsVerb ? "true" : "");
        item.SetMetadata(JobMetadata.CodeKey, CodeKey);
        return item;
    }

    /// <summary>The job as the manifest holds it, started by <paramref name="command"/>.</summary>
    public JobDefinition ToDefinition(IEnumerable<string> command) => new(Label, command, Outputs.Select(PartitionPattern.Parse))
    {
        Retries = Retries ?? 0,
        TimeoutSeconds = TimeoutSeconds,
        ConfigureTimeoutSeconds = ConfigureTimeoutSeconds,
        MaxConcurrency = MaxConcurrency,
        Version = Version,
        Executor = Executor ?? JobExecutor.Local,
        Locations = Locations,
        ExistsVerb = ExistsVerb,
        CodeKey = CodeKey,
    };

    // A resolved item's executor metadata was checked when it was resolved (ResolveDataBuildJobs.ReadExecutor).
    private static JobExecutor? ExecutorOf(ITaskItem item)
    {
        if (item.GetMetadata(JobMetadata.Executor) is not { Length: > 0 } kind) return null;
        return new JobExecutor(JobExecutor.ParseKind(kind) ?? ExecutorKind.Local, Optional(item.GetMetadata(JobMetadata.SlurmPartition)),
            ParseOptional(item.GetMetadata(JobMetadata.Cpus)), Optional(item.GetMetadata(JobMetadata.Memory)), Optional(item.GetMetadata(JobMetadata.TimeLimit)));
    }

    private static string? Optional(string text) => text.Length == 0 ? null : text;

    private static int? ParseOptional(string text) => text.Length == 0 ? null : int.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
}
