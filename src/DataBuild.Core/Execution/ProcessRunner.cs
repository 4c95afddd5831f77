using System.Diagnostics;
using System.Text;

namespace DataBuild.Execution;

/// <summary>What to run: the job's command, the verb and its arguments.</summary>
public sealed record ProcessSpec(
    IReadOnlyList<string> Command,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? StandardInput = null,
    TimeSpan? Timeout = null,
    string? LogPath = null,
    int? CaptureLimit = null,
    string? MarkerPrefix = null);

public enum ProcessOutcome
{
    Exited,
    TimedOut,
    Cancelled,
    FailedToStart,
}

/// <summary>
/// The outcome of a process. With a capture limit, <see cref="StandardOutput"/> and <see cref="StandardError"/>
/// hold only the last characters (the full text is in the log); <see cref="MarkedLines"/> holds every stdout line
/// that started with the spec's marker prefix, wherever it appeared.
/// </summary>
public sealed record ProcessResult(ProcessOutcome Outcome, int ExitCode, string StandardOutput, string StandardError, TimeSpan Duration, IReadOnlyList<string> MarkedLines)
{
    public bool Succeeded => Outcome == ProcessOutcome.Exited && ExitCode == 0;
}

/// <summary>
/// Runs one job process: stdin from a string, stdout and stderr captured (and, with a log path, written to
/// one log file as they arrive, each line tagged with its stream), the whole process tree killed on
/// timeout or cancellation so no grandchild outlives its job.
/// </summary>
public static class ProcessRunner
{
    public static async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken cancellationToken)
    {
        var program = ExecutableSearch.Resolve(spec.Command[0]);
        if (program is null)
        {
            var message = $"could not start '{spec.Command[0]}': no such program on PATH";
            using (var missingLog = OpenLog(spec.LogPath)) missingLog?.WriteLine($"[databuild] {message}");
            return new ProcessResult(ProcessOutcome.FailedToStart, -1, "", message, TimeSpan.Zero, []);
        }
        var info = new ProcessStartInfo
        {
            FileName = program,
            WorkingDirectory = spec.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in spec.Command.Skip(1).Concat(spec.Arguments)) info.ArgumentList.Add(arg);
        if (spec.Environment is not null)
            foreach (var (key, value) in spec.Environment) info.Environment[key] = value;

        using var log = OpenLog(spec.LogPath);
        var stdout = new Capture(spec.CaptureLimit, spec.MarkerPrefix);
        var stderr = new Capture(spec.CaptureLimit, null);
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or FileNotFoundException)
        {
            var message = $"could not start '{spec.Command[0]}': {e.Message}";
            log?.WriteLine($"[databuild] {message}");
            return new ProcessResult(ProcessOutcome.FailedToStart, -1, "", message, stopwatch.Elapsed, []);
        }

        var readOut = Pump(process.StandardOutput, stdout, log, "");
        var readErr = Pump(process.StandardError, stderr, log, "[stderr] ");
        try
        {
            if (spec.StandardInput is not null) await process.StandardInput.WriteAsync(spec.StandardInput);
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The job exited without reading its stdin; its exit code tells the story.
        }

        using var timeout = spec.Timeout is { } t ? new CancellationTokenSource(t) : new CancellationTokenSource();
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var outcome = ProcessOutcome.Exited;
        try
        {
            await process.WaitForExitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!process.HasExited)
        {
            outcome = timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested ? ProcessOutcome.TimedOut : ProcessOutcome.Cancelled;
            KillTree(process);
            await process.WaitForExitAsync(CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            // It ended on its own just as the wait was cancelled: it ran to the end, so its exit code stands.
        }
        await Task.WhenAll(readOut, readErr);
        stopwatch.Stop();
        var exitCode = process.ExitCode;
        if (outcome == ProcessOutcome.TimedOut) log?.WriteLine($"[databuild] killed after the timeout of {spec.Timeout!.Value.TotalSeconds:0.###}s");
        if (outcome == ProcessOutcome.Cancelled) log?.WriteLine("[databuild] killed: the build was cancelled");
        return new ProcessResult(outcome, exitCode, stdout.Text, stderr.Text, stopwatch.Elapsed, stdout.Marked);
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    private static StreamWriter? OpenLog(string? path)
    {
        if (path is null) return null;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new StreamWriter(path, append: true, Encoding.UTF8) { AutoFlush = true };
    }

    private static async Task Pump(StreamReader reader, Capture capture, StreamWriter? log, string prefix)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            capture.Add(line);
            if (log is null) continue;
            lock (log) log.WriteLine(prefix + line);
        }
    }

    // Keeps the tail of a stream within a limit, so a chatty job cannot fill the graph's memory.
    private sealed class Capture(int? limit, string? markerPrefix)
    {
        private readonly StringBuilder _text = new();
        private readonly List<string> _marked = [];

        public string Text => limit is { } max && _text.Length > max ? _text.ToString(_text.Length - max, max) : _text.ToString();

        public IReadOnlyList<string> Marked => _marked;

        public void Add(string line)
        {
            if (markerPrefix is not null && line.StartsWith(markerPrefix, StringComparison.Ordinal)) _marked.Add(line);
            _text.Append(line).Append('\n');
            // Trimmed in halves rather than per line, so each character is moved a bounded number of times.
            if (limit is { } max && _text.Length > 2 * max) _text.Remove(0, _text.Length - max);
        }
    }
}
