using DataBuild.Execution;
using DataBuild.Proto;

namespace DataBuild.Engine;

/// <summary>
/// Turns what a build does into <see cref="BuildProgress"/> messages for the surfaces: the structured fields
/// of each event plus the task counts of the board at that moment. The words are DataBuild.Rendering.ProgressText's.
/// </summary>
internal sealed class ProgressReporter(IProgress<BuildProgress>? progress)
{
    public TaskBoard? Board { get; set; }

    public void Report(BuildProgressKind kind, AnalyzedTask? task = null, Action<BuildProgress>? details = null)
    {
        if (progress is null) return;
        var p = new BuildProgress { Kind = kind, Job = task?.Job.Label ?? "" };
        if (task is not null) p.Partitions.AddRange(task.Outputs);
        details?.Invoke(p);
        if (Board is { } board)
        {
            p.Done = board.CountOf(TaskState.Done);
            p.Failed = board.CountOf(TaskState.Failed);
            p.Running = board.CountOf(TaskState.Running);
            p.Remaining = board.Count - p.Done - p.Failed - p.Running;
        }
        progress.Report(p);
    }

    /// <summary>An event about one finished run of <paramref name="task"/>.</summary>
    public void Run(BuildProgressKind kind, AnalyzedTask task, JobRunOutcome outcome, int attempt, Action<BuildProgress>? details = null) =>
        Report(kind, task, p =>
        {
            p.JobRunId = outcome.JobRunId;
            p.LogPath = outcome.LogPath;
            p.Attempt = attempt;
            p.ExitCode = outcome.Process.ExitCode;
            details?.Invoke(p);
        });
}
