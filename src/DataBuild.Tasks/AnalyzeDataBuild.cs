using Microsoft.Build.Framework;

namespace DataBuild.Tasks;

/// <summary>
/// Writes the job graph that would build the requested partitions (<c>databuild analyze</c>) to a file:
/// the JobGraph as JSON, which is also printed, or a Mermaid flowchart.
/// </summary>
public sealed class AnalyzeDataBuild : DataBuildCliTask
{
    private readonly List<string> _lines = [];

    /// <summary><c>json</c> or <c>mermaid</c>.</summary>
    [Required]
    public string Format { get; set; } = "";

    [Required]
    public string OutputFile { get; set; } = "";

    protected override IEnumerable<string> CommandArguments() => ["analyze", "--format", Format];

    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance) => _lines.Add(singleLine);

    public override bool Execute()
    {
        if (!base.Execute()) return false;
        var text = string.Join("\n", _lines) + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(OutputFile))!);
        File.WriteAllText(OutputFile, text);
        if (Format == "json") Log.LogMessage(MessageImportance.High, text.TrimEnd());
        Log.LogMessage(MessageImportance.High, $"DataBuild: wrote {Path.GetFullPath(OutputFile)}");
        return true;
    }

    protected override bool HandleTaskExecutionErrors()
    {
        Log.LogError(null, ExitCode == 2 ? ErrorCodes.BadRequest : ErrorCodes.BuildFailed, null, GraphProject, 0, 0, 0, 0,
            $"databuild analyze failed: {OneLine(_lines)}");
        return false;
    }
}
