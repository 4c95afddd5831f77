using System.Text;
using CliWrap;

namespace DataBuild.TestSupport;

/// <summary>
/// Runs a real process to its end, as a user's shell would (CliWrap): arguments passed as they are, stdin
/// written and closed, stdout and stderr kept apart and also interleaved, no exit code treated as an error. One
/// that runs past its timeout is killed with its whole process tree and reported with what it wrote so far.
/// </summary>
public static class ProcessRun
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(4);

    /// <param name="environment">Variables to set; a null value removes one the test host has.</param>
    public static async Task<ProcessResult> RunAsync(string program, string workingDirectory, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null, string? stdin = null, TimeSpan? timeout = null)
    {
        var args = arguments.ToArray();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var output = new StringBuilder();
        var command = Cli.Wrap(program)
            .WithArguments(args)
            .WithWorkingDirectory(workingDirectory)
            .WithEnvironmentVariables(environment?.ToDictionary() ?? [])
            .WithStandardInputPipe(stdin is null ? PipeSource.Null : PipeSource.FromString(stdin))
            .WithStandardOutputPipe(PipeTarget.Merge(PipeTarget.ToStringBuilder(stdout), PipeTarget.ToDelegate(line => Append(output, line))))
            .WithStandardErrorPipe(PipeTarget.Merge(PipeTarget.ToStringBuilder(stderr), PipeTarget.ToDelegate(line => Append(output, line))))
            .WithValidation(CommandResultValidation.None);
        var description = $"{program} {string.Join(' ', args)}";
        using var cancel = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            var result = await command.ExecuteAsync(cancel.Token);
            return new ProcessResult(result.ExitCode, stdout.ToString(), stderr.ToString(), Text(output), description);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{description} did not finish in time:\n{Text(output)}");
        }
    }

    public static ProcessResult Run(string program, string workingDirectory, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null, string? stdin = null, TimeSpan? timeout = null) =>
        RunAsync(program, workingDirectory, arguments, environment, stdin, timeout).GetAwaiter().GetResult();

    private static void Append(StringBuilder output, string line)
    {
        lock (output) output.Append(line).Append('\n');
    }

    private static string Text(StringBuilder output)
    {
        lock (output) return output.ToString();
    }
}

/// <summary>
/// How a process ended: its exit code, its stdout and stderr apart, and <see cref="Output"/>, both interleaved
/// line by line as a terminal would show them.
/// </summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr, string Output, string Command)
{
    public IReadOnlyList<string> StdoutLines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Shown when an assertion on the result fails, so the process's own words explain it.</summary>
    public override string ToString() => $"{Command}\nexit code {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
