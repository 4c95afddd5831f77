using DataBuild.Graphs;
using Microsoft.Build.Framework;

namespace DataBuild.Tasks;

/// <summary>
/// Writes graph.json from resolved jobs, only when its content changes, so that a build that changed nothing
/// leaves the file (and everything that watches it) alone. Two layouts: <c>build</c> points at the programs
/// where they were built, with absolute paths; <c>publish</c> points at jobs/&lt;folder&gt;/ beside the
/// manifest with relative paths, so the published folder can move as a whole.
/// </summary>
public sealed class WriteDataBuildManifest : Microsoft.Build.Utilities.Task
{
    [Required]
    public ITaskItem[] Jobs { get; set; } = [];

    /// <summary>The &lt;DataBuildUpstream&gt; items, checked by ResolveDataBuildJobs.</summary>
    public ITaskItem[] Upstreams { get; set; } = [];

    [Required]
    public string GraphLabel { get; set; } = "";

    [Required]
    public string ManifestPath { get; set; } = "";

    /// <summary>The graph project, where errors are located.</summary>
    public string GraphProject { get; set; } = "";

    /// <summary><c>build</c> or <c>publish</c>.</summary>
    [Required]
    public string Layout { get; set; } = "";

    /// <summary>The program that runs .NET job assemblies: the dotnet host.</summary>
    [Required]
    public string DotNetHost { get; set; } = "";

    /// <summary>DataBuildEnvironment: NAME=value items, written into the manifest for every job.</summary>
    public string[] Environment { get; set; } = [];

    /// <summary>A self-contained publish: .NET jobs run by their apphosts, not by <see cref="DotNetHost"/>.</summary>
    public bool SelfContained { get; set; }

    /// <summary>Where jobs run and state lives, written into the manifest; empty for the manifest's own folder (a published graph).</summary>
    public string WorkingDirectory { get; set; } = "";

    public override bool Execute()
    {
        if (Layout is not ("build" or "publish"))
        {
            Log.LogError($"Layout must be 'build' or 'publish', got '{Layout}'");
            return false;
        }
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var variable in Environment.Where(v => v.Trim().Length > 0))
        {
            var equals = variable.IndexOf('=');
            if (equals <= 0)
            {
                Log.LogError(null, ErrorCodes.InvalidGraph, null, GraphProject, 0, 0, 0, 0,
                    $"DataBuildEnvironment: '{variable}' is not NAME=value; write NAME=value;NAME2=value2");
                return false;
            }
            environment[variable[..equals].Trim()] = variable[(equals + 1)..];
        }
        var jobs = Jobs.Select(ResolvedJob.FromItem).ToArray();
        var path = Path.GetFullPath(ManifestPath);
        var manifest = new GraphManifest(GraphLabel, jobs.Select(j => j.ToDefinition(Command(j))), Path.GetDirectoryName(path),
            WorkingDirectory.Length > 0 ? Path.GetFullPath(WorkingDirectory) : null, environment, UpstreamItems.Read(Upstreams, resolveTokenFiles: Layout == "build"));
        var json = manifest.ToJson();
        if (File.Exists(path) && File.ReadAllText(path) == json)
        {
            Log.LogMessage(MessageImportance.Low, $"DataBuild: {path} is up to date");
            return true;
        }
        manifest.Save(path);
        Log.LogMessage(MessageImportance.Normal, $"DataBuild: wrote {path} ({jobs.Length} jobs)");
        return true;
    }

    private IReadOnlyList<string> Command(ResolvedJob job)
    {
        var published = Layout == "publish";
        if (job.IsProjectJob && published && SelfContained)
            return [$"{job.PublishFolder}/{Path.GetFileNameWithoutExtension(job.TargetPath)}"];
        if (job.IsProjectJob)
            return [DotNetHost, published ? $"{job.PublishFolder}/{Path.GetFileName(job.TargetPath)}" : job.TargetPath];
        // A command found on PATH stays a bare name; a file is published beside the manifest.
        return [published && Path.IsPathRooted(job.Command) ? $"{job.PublishFolder}/{Path.GetFileName(job.Command)}" : job.Command];
    }
}
