using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using DataBuild.Graphs;

namespace DataBuild.Execution;

/// <summary>What to run: the job's command, the verb and its arguments.</summary>
/// <param name="CaptureLimit">How many of the last characters of each stream the result keeps; <see cref="ProcessRunner.DefaultCaptureLimit"/> when null.</param>
/// <param name="MarkerPrefix">Stdout lines starting with this are returned in <see cref="ProcessResult.MarkedLines"/>.</param>
/// <param name="MarkerLimit">The marked lines together keep at most this many characters plus one (so a reader sees they were cut); <see cref="ProcessRunner.DefaultMarkerLimit"/> when null.</param>
/// <param name="KillGrace">After SIGTERM on a timeout or cancellation, how long the job's group has before SIGKILL; <see cref="ProcessRunner.DefaultKillGrace"/> when null.</param>
/// <param name="OutputGrace">After the main process exits, how long its output may stay open (held by a process it left behind) before the rest of its group is killed and reading stops; <see cref="ProcessRunner.DefaultOutputGrace"/> when null.</param>
/// <param name="StandardOutputLimit">When set, stdout is kept whole, and printing more than this many characters stops the process: <see cref="ProcessOutcome.OutputLimitExceeded"/>.</param>
public sealed record ProcessSpec(
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? StandardInput = null,
    TimeSpan? Timeout = null,
    string? LogPath = null,
    int? CaptureLimit = null,
    string? MarkerPrefix = null,
    int? MarkerLimit = null,
    TimeSpan? KillGrace = null,
    TimeSpan? OutputGrace = null,
    int? StandardOutputLimit = null);

public enum ProcessOutcome
{
    Exited,
    TimedOut,
    Cancelled,
    FailedToStart,
    OutputLimitExceeded,

    /// <summary>The executor (Slurm) ended the run without an exit code: node failure, out of memory, its own time limit; the standard error says which.</summary>
    ExecutorFailed,
}

/// <summary>
/// The outcome of a process. <see cref="StandardOutput"/> and <see cref="StandardError"/> hold only the last
/// characters (the full text is in the log); <see cref="MarkedLines"/> holds the stdout lines that started
/// with the spec's marker prefix, wherever they appeared, within the marker limit.
/// </summary>
public sealed record ProcessResult(ProcessOutcome Outcome, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration, IReadOnlyList<string> MarkedLines)
{
    public bool Succeeded => Outcome == ProcessOutcome.Exited && ExitCode == 0;
}

/// <summary>
/// Runs one job process (<see cref="ChildProcess"/>): stdin from a string, stdout and stderr captured within bounds (and,
/// with a log path, written whole to one log file as they arrive, each stderr line tagged). The process leads
/// its own process group (<see cref="ProcessGroup"/>): on a timeout or cancellation the group gets SIGTERM,
/// then SIGKILL after the kill grace; once the main process exits, what is left of its group is killed after
/// the output grace, and reading stops even if a process that left the group still holds the output open.
/// </summary>
public static class ProcessRunner
{
    public const int DefaultCaptureLimit = 64 * 1024;
    public const int DefaultMarkerLimit = 1024 * 1024;
    public static readonly TimeSpan DefaultKillGrace = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan DefaultOutputGrace = TimeSpan.FromSeconds(2);

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    // PIPE_BUF on Linux: a write of at most this much to a pipe with room for it completes at once, whole.
    private const int PipeAtomicBytes = 4096;

    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        using var log = RunLog.Open(spec.LogPath);
        var program = ExecutableSearch.Resolve(spec.Command[0]);
        if (program is null) return FailedToStart(log, $"could not start '{spec.Command[0]}': no such program on PATH", TimeSpan.Zero);
        // Checked here for a message in the user's terms; the spawn would only say ENOENT or EACCES.
        if (!File.Exists(program)) return FailedToStart(log, $"could not start '{spec.Command[0]}': no such file", TimeSpan.Zero);
        if (!ExecutableSearch.IsExecutable(program)) return FailedToStart(log, $"could not start '{spec.Command[0]}': the file is not executable", TimeSpan.Zero);

        var stdout = new OutputCapture(log, "", spec.StandardOutputLimit ?? spec.CaptureLimit ?? DefaultCaptureLimit,
            spec.MarkerPrefix, spec.MarkerLimit ?? DefaultMarkerLimit, stopAtLimit: spec.StandardOutputLimit is not null);
        var stderr = new OutputCapture(log, "[stderr] ", spec.CaptureLimit ?? DefaultCaptureLimit);
        using var stopReading = new CancellationTokenSource();
        var stopwatch = Stopwatch.StartNew();
        ChildProcess child;
        try
        {
            // A relative path names a file from this process's folder, as the checks above read it, not from the job's.
            child = ChildProcess.Start(Path.GetFullPath(program), spec.Command.Skip(1).Concat(spec.Arguments), spec.WorkingDirectory, spec.Environment);
        }
        catch (Win32Exception e)
        {
            return FailedToStart(log, $"could not start '{spec.Command[0]}': {e.Message}", stopwatch.Elapsed);
        }
        using var _ = child;
        var feeding = FeedAsync(child.Input, spec.StandardInput);
        var reading = Task.WhenAll(stdout.PumpAsync(child.Output, stopReading.Token), stderr.PumpAsync(child.Error, stopReading.Token));

        using var timeout = spec.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var outcome = ProcessOutcome.Exited;
        await Task.WhenAny(child.Exited, stdout.OverLimit, Task.Delay(System.Threading.Timeout.Infinite, either.Token));
        // Past the output limit the process may die of SIGPIPE before this looks: the limit still is what stopped it.
        if (stdout.ExceededLimit || !child.Exited.IsCompleted)
        {
            outcome = stdout.ExceededLimit ? ProcessOutcome.OutputLimitExceeded
                : timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested ? ProcessOutcome.TimedOut
                : ProcessOutcome.Cancelled;
            log?.Note(outcome switch
            {
                ProcessOutcome.OutputLimitExceeded => $"stopping: stdout passed the limit of {spec.StandardOutputLimit} characters: SIGTERM to the process group",
                ProcessOutcome.TimedOut => $"stopping after the timeout of {spec.Timeout!.Value.TotalSeconds:0.###}s: SIGTERM to the process group",
                _ => "stopping: the build was cancelled: SIGTERM to the process group",
            });
            if (!child.Exited.IsCompleted) await StopAsync(child, spec.KillGrace ?? DefaultKillGrace, log);
            // A reader past the limit stopped reading: what the job still writes must not fill the pipe and hold it.
            if (stdout.ExceededLimit) child.Output.Dispose();
        }

        // The main process is gone; its output may still be held by what it left running.
        var drained = await Task.WhenAny(reading, Task.Delay(spec.OutputGrace ?? DefaultOutputGrace)) == reading;
        await child.KillAsync(TimeSpan.FromSeconds(2));
        if (!drained)
        {
            log?.Note($"the job exited but its output stayed open for {(spec.OutputGrace ?? DefaultOutputGrace).TotalSeconds:0.###}s: killed what was left of its process group and stopped reading");
            await stopReading.CancelAsync();
        }
        await reading;
        await feeding;
        var exitCode = await child.Exited;
        stopwatch.Stop();
        if (outcome == ProcessOutcome.Exited && stdout.ExceededLimit) outcome = ProcessOutcome.OutputLimitExceeded;
        return new ProcessResult(outcome, exitCode, stdout.Text, stderr.Text, stopwatch.Elapsed, stdout.Marked);
    }

    // The job's stdin: the text, then end of file. A job that exits or closes stdin before reading it all is no error.
    private static async Task FeedAsync(Stream input, string? text)
    {
        try
        {
            var bytes = text is null ? [] : Utf8.GetBytes(text);
            // Up to PIPE_BUF bytes into the fresh, empty pipe: one write(2) that cannot block, done before the job
            // can have exited (an async write could be scheduled after a quick job's exit and fail with EPIPE,
            // an exception a run: bench/analysis.md). Larger input is written as the job reads it.
            if (bytes.Length <= PipeAtomicBytes) input.Write(bytes);
            else await input.WriteAsync(bytes);
        }
        catch (IOException)
        {
            // The reading end is closed (EPIPE).
        }
        finally
        {
            try
            {
                await input.DisposeAsync();
            }
            catch (IOException)
            {
                // Closing flushes nothing more that could reach the job.
            }
        }
    }

    // SIGTERM to the group, then SIGKILL once the grace is over.
    private static async Task StopAsync(ChildProcess child, TimeSpan grace, RunLog? log)
    {
        child.Signal(ProcessGroup.SigTerm);
        if (await Task.WhenAny(child.Exited, Task.Delay(grace)) == child.Exited) return;
        log?.Note($"still running {grace.TotalSeconds:0.###}s after SIGTERM: SIGKILL to the process group");
        child.Signal(ProcessGroup.SigKill);
        await child.Exited;
    }

    private static ProcessResult FailedToStart(RunLog? log, string message, TimeSpan elapsed)
    {
        log?.Note(message);
        return new ProcessResult(ProcessOutcome.FailedToStart, -1, "", message, elapsed, []);
    }
}
