using System.ComponentModel;
using System.Diagnostics;

namespace DataBuild.Execution;

/// <summary>
/// A started job process: its pipes, its exit and how to stop it. On Linux it leads its own process
/// group (<see cref="PosixSpawn"/>), so a signal reaches it and every descendant that stayed in the
/// group, including ones whose parent already exited. Elsewhere it is a plain
/// <see cref="System.Diagnostics.Process"/>: signals reach the main process only, and a kill walks the live
/// tree of its children, which misses orphans.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    /// <summary>The exit code reported when the status could not be collected (the runtime reaped it first, as it does running as pid 1).</summary>
    public const int UnknownExitCode = -1;

    private readonly Process? _process;

    internal ChildProcess(int id, bool leadsGroup, Stream input, Stream output, Stream error, Task<int> exited, Process? process = null)
    {
        Id = id;
        LeadsGroup = leadsGroup;
        Input = input;
        Output = output;
        Error = error;
        Exited = exited;
        _process = process;
    }

    public int Id { get; }

    /// <summary>Whether the process leads a group of its own, so <see cref="Signal"/> and <see cref="KillAsync"/> reach its descendants.</summary>
    public bool LeadsGroup { get; }

    public Stream Input { get; }

    public Stream Output { get; }

    public Stream Error { get; }

    /// <summary>Completes with the exit code (128 plus the signal's number for a process killed by one) once the main process is gone.</summary>
    public Task<int> Exited { get; }

    /// <summary>Starts <paramref name="program"/> (a path) with <paramref name="environment"/> laid over this process's; throws <see cref="Win32Exception"/> when it cannot.</summary>
    public static ChildProcess Start(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        if (PosixSpawn.Supported) return PosixSpawn.Start(program, arguments, workingDirectory, environment);
        var info = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        var process = Process.Start(info) ?? throw new Win32Exception($"'{program}' did not start");
        return new ChildProcess(process.Id, leadsGroup: false, process.StandardInput.BaseStream, process.StandardOutput.BaseStream,
            process.StandardError.BaseStream, process.WaitForExitAsync().ContinueWith(_ => process.ExitCode, TaskScheduler.Default), process);
    }

    /// <summary>Sends <paramref name="signal"/> to the group (or, without one, to the main process); a process that is gone is no error.</summary>
    public void Signal(int signal)
    {
        // Windows has no signals to send another process: stopping it at all is the best there is.
        if (_process is not null && OperatingSystem.IsWindows()) KillTree();
        else ProcessGroup.Signal(LeadsGroup ? -Id : Id, signal);
    }

    /// <summary>Kills what is left (the group, or the main process's tree) and waits, at most <paramref name="patience"/>, until it is gone.</summary>
    public async Task KillAsync(TimeSpan patience)
    {
        if (LeadsGroup)
        {
            await ProcessGroup.KillAsync(Id, patience);
            return;
        }
        KillTree();
        if (_process is not null) await Task.WhenAny(Exited, Task.Delay(patience));
    }

    private void KillTree()
    {
        try
        {
            _process?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        Input.Dispose();
        Output.Dispose();
        Error.Dispose();
        _process?.Dispose();
    }
}
