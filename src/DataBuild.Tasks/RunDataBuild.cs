using DataBuild.Proto;
using DataBuild.Rendering;
using Microsoft.Build.Framework;

namespace DataBuild.Tasks;

/// <summary>
/// Builds partitions with <c>databuild build --progress jsonl</c> and shows the build as it runs: each job
/// started, built, retried or waiting is a message shown live under every logger (<see cref="LiveMessages"/>), and each failed job an error (DB0100)
/// naming the job, its run id and its log, located at the project that declares the job.
/// </summary>
public sealed class RunDataBuild : DataBuildCliTask
{
    private readonly List<string> _otherOutput = [];
    private int _failedJobs;

    /// <summary>Job runs at once (--parallelism); 0 for the CLI's default, the number of processors.</summary>
    public int Parallelism { get; set; }

    /// <summary>Rebuild the requested partitions even when they are available.</summary>
    public bool Force { get; set; }

    /// <summary>DataBuildRebuildStale: rebuild STALE partitions (the default); false keeps them (--no-rebuild-stale).</summary>
    public string RebuildStale { get; set; } = "";

    /// <summary>Seconds between SIGTERM and SIGKILL for a job run that is stopped (--kill-grace-seconds); empty for the CLI's default, 10.</summary>
    public string KillGraceSeconds { get; set; } = "";

    /// <summary>Every job's runs on this executor (--executor: local or slurm); empty for each job's own.</summary>
    public string Executor { get; set; } = "";

    /// <summary>The resolved jobs, to locate each job's errors at the project that declares it.</summary>
    public ITaskItem[] Jobs { get; set; } = [];

    protected override IEnumerable<string> CommandArguments()
    {
        yield return "build";
        yield return "--progress";
        yield return "jsonl";
        if (Parallelism > 0)
        {
            yield return "--parallelism";
            yield return Parallelism.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (Force) yield return "--force";
        if (RebuildStale.Trim().Equals("false", StringComparison.OrdinalIgnoreCase)) yield return "--no-rebuild-stale";
        if (KillGraceSeconds.Trim().Length > 0)
        {
            yield return "--kill-grace-seconds";
            yield return KillGraceSeconds.Trim();
        }
        if (Executor.Trim().Length > 0)
        {
            yield return "--executor";
            yield return Executor.Trim().ToLowerInvariant();
        }
    }

    // Called for every line of stdout and stderr, as it arrives, so messages appear while the build runs.
    protected override void LogEventsFromTextOutput(string singleLine, MessageImportance messageImportance)
    {
        var progress = ProgressEvent.TryParse(singleLine);
        if (progress is null)
        {
            if (singleLine.Length > 0) _otherOutput.Add(singleLine);
            return;
        }
        if (progress.Kind == BuildProgressKind.JobFailed)
        {
            _failedJobs++;
            Log.LogError(null, ErrorCodes.JobFailed, null, DeclaringProject(progress.Job), 0, 0, 0, 0, ProgressText.Failure(progress));
            return;
        }
        if (ProgressText.Message(progress) is { } message) LiveMessages.Log(BuildEngine, message);
    }

    protected override bool HandleTaskExecutionErrors()
    {
        var output = OneLine(_otherOutput);
        if (ExitCode == 2)
            Log.LogError(null, ErrorCodes.BadRequest, null, GraphProject, 0, 0, 0, 0, $"databuild refused the request: {output}");
        else if (_failedJobs == 0)
            Log.LogError(null, ErrorCodes.BuildFailed, null, GraphProject, 0, 0, 0, 0, $"the build failed: {output}");
        else
            LiveMessages.Log(BuildEngine, $"DataBuild: {output}");
        return false;
    }

    public override bool Execute()
    {
        var succeeded = base.Execute();
        // The CLI's summary line; on failure it is part of the error instead.
        if (succeeded) foreach (var line in _otherOutput) LiveMessages.Log(BuildEngine, $"DataBuild: {line}");
        return succeeded;
    }

    private string DeclaringProject(string label) =>
        Jobs.FirstOrDefault(j => j.ItemSpec == label)?.GetMetadata(JobMetadata.DefiningProject) is { Length: > 0 } project
            ? project
            : GraphProject;
}
