using DataBuild.Refs;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace DataBuild.Tasks;

/// <summary>
/// Runs the databuild CLI as a child process (<c>dotnet databuild.dll …</c>). The engine, SQLite and the jobs
/// live in that process, not in MSBuild's: a native library loaded into a long-lived MSBuild node would stay
/// loaded and locked long after the build, and a crashing job helper could take the node down with it.
/// </summary>
public abstract class DataBuildCliTask : ToolTask
{
    private IReadOnlyList<string> _partitions = [];

    /// <summary>The CLI's databuild.dll.</summary>
    [Required]
    public string CliPath { get; set; } = "";

    /// <summary>The graph.json to use.</summary>
    [Required]
    public string Manifest { get; set; } = "";

    /// <summary>The Build Event Log URI (--bel); empty for the CLI's default beside the manifest.</summary>
    public string Bel { get; set; } = "";

    /// <summary>Where the default BEL and the job-run logs live (--state-dir); empty for .databuild/ in the working directory.</summary>
    public string StateDirectory { get; set; } = "";

    /// <summary>The dotnet host that runs the CLI; empty to find 'dotnet' on PATH.</summary>
    public string DotNetHost { get; set; } = "";

    /// <summary>The refs to work on: separated by whitespace or ';'.</summary>
    public string Partitions { get; set; } = "";

    /// <summary>A file of refs, separated by whitespace; lines starting with '#' are comments. Relative to <see cref="WorkingDirectory"/>.</summary>
    public string PartitionsFile { get; set; } = "";

    /// <summary>The graph project, where errors about the request are located.</summary>
    [Required]
    public string GraphProject { get; set; } = "";

    /// <summary>The directory the CLI runs in; relative --bel paths are taken from it.</summary>
    public string WorkingDirectory { get; set; } = "";

    protected override string ToolName => "dotnet";

    protected override string GenerateFullPathToTool() => DotNetHost.Length > 0 ? DotNetHost : ToolName;

    protected override string GetWorkingDirectory() => WorkingDirectory.Length > 0 ? WorkingDirectory : base.GetWorkingDirectory();

    /// <summary>The command's own arguments after the CLI path and before the refs, e.g. <c>build --progress jsonl</c>.</summary>
    protected abstract IEnumerable<string> CommandArguments();

    private string PartitionsFilePath => Path.GetFullPath(PartitionsFile, WorkingDirectory.Length > 0 ? WorkingDirectory : Directory.GetCurrentDirectory());

    /// <summary>The CLI's output as one line: MSBuild shows each line of a multi-line error as an error of its own.</summary>
    protected static string OneLine(IEnumerable<string> lines) => string.Join(" ", lines.Select(l => l.Trim()).Where(l => l.Length > 0));

    protected override bool ValidateParameters()
    {
        if (RequestedPartitions() is not { } refs) return false;
        _partitions = refs;
        return base.ValidateParameters();
    }

    private IReadOnlyList<string>? RequestedPartitions()
    {
        var refs = PartitionList.Parse(Partitions);
        if (PartitionsFile.Length > 0)
        {
            if (!File.Exists(PartitionsFilePath))
            {
                Log.LogError(null, ErrorCodes.MissingPartitionsFile, null, GraphProject, 0, 0, 0, 0,
                    $"the PartitionsFile '{PartitionsFile}' does not exist (looked for {PartitionsFilePath})");
                return null;
            }
            refs = [.. refs, .. PartitionList.ParseFile(File.ReadAllText(PartitionsFilePath))];
        }
        // Checked here, before the CLI sees them: a ref starting with '-' would reach it as an option. Ranges and
        // sets ({2020-01-01..2020-01-31}, {a,b}) go to the CLI as written, which expands them.
        var invalid = refs.Select(r => (Ref: r, Problem: RefExpansion.Problem(r))).Where(r => r.Problem is not null).ToArray();
        foreach (var (partition, problem) in invalid)
            Log.LogError(null, ErrorCodes.InvalidPartition, null, GraphProject, 0, 0, 0, 0, $"invalid partition ref '{partition}' requested: {problem}");
        if (invalid.Length > 0) return null;
        if (refs.Count > 0) return refs;
        Log.LogError(null, ErrorCodes.NoPartitions, null, GraphProject, 0, 0, 0, 0,
            "no partitions requested: pass -p:Partitions=\"ref another/ref\" or -p:PartitionsFile=path/to/refs.txt");
        return null;
    }

    protected override string GenerateCommandLineCommands()
    {
        var builder = new CommandLineBuilder();
        builder.AppendFileNameIfNotNull(CliPath);
        foreach (var argument in CommandArguments()) builder.AppendSwitchIfNotNull("", argument);
        builder.AppendSwitchIfNotNull("--graph ", Manifest);
        if (Bel.Length > 0) builder.AppendSwitchIfNotNull("--bel ", Bel);
        if (StateDirectory.Length > 0) builder.AppendSwitchIfNotNull("--state-dir ", Path.GetFullPath(StateDirectory, WorkingDirectory.Length > 0 ? WorkingDirectory : Directory.GetCurrentDirectory()));
        foreach (var partition in _partitions) builder.AppendSwitchIfNotNull("", partition);
        return builder.ToString();
    }
}
