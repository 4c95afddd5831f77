using System.ComponentModel;
using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace DataBuild.Execution;

/// <summary>
/// Starts a program with glibc's posix_spawn(3) as the leader of a new process group
/// (POSIX_SPAWN_SETPGROUP), its working directory set by posix_spawn_file_actions_addchdir_np
/// (glibc 2.29) and its stdin, stdout and stderr on fresh pipes. This stands in for
/// <see cref="System.Diagnostics.Process"/> (and CliWrap on top of it), which has no hook between fork and
/// exec to call setpgid(2); the alternative, exec'ing util-linux <c>setsid</c> first, costs a second exec
/// and a new session (bench/analysis.md). The exit status is collected by waitpid(2) on a reaper thread
/// (<see cref="Reapers"/>): .NET reaps only the children it started itself, unless it runs as pid 1 (docs/architecture.md,
/// "Execution"), where <see cref="ChildProcess.Exited"/> then reports the status as unknown.
/// </summary>
internal static class PosixSpawn
{
    private const int SpawnSetSignalDefaults = 0x04;
    private const int SpawnSetSignalMask = 0x08;
    private const int SpawnSetProcessGroup = 0x02;
    private const int CloseOnExec = 0x80000;
    private const int Interrupted = 4;
    private const int NoChild = 10;
    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336 and sigset_t 128 on 64-bit Linux; these leave room.
    private const int FileActionsSize = 256;
    private const int AttributesSize = 1024;
    private const int SignalSetSize = 256;

    private static readonly Lazy<bool> Available = new(() =>
        OperatingSystem.IsLinux()
        && NativeLibrary.TryLoad("libc.so.6", out var libc)
        && NativeLibrary.TryGetExport(libc, "posix_spawn_file_actions_addchdir_np", out _));

    /// <summary>Whether this platform's C library can start a job as a group leader in its folder (glibc 2.29 or later).</summary>
    public static bool Supported => Available.Value;

    /// <summary>Starts <paramref name="program"/>; throws <see cref="Win32Exception"/> with the C library's reason when it cannot.</summary>
    public static unsafe ChildProcess Start(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment)
    {
        var argv = NativeStrings.Of(arguments.Prepend(program));
        var envp = NativeStrings.Of(EnvironmentOf(environment));
        var pipes = stackalloc int[6];
        var opened = 0;
        var fileActions = NativeMemory.AllocZeroed(FileActionsSize);
        var attributes = NativeMemory.AllocZeroed(AttributesSize);
        var signals = NativeMemory.AllocZeroed(SignalSetSize);
        try
        {
            for (; opened < 3; opened++)
            {
                if (pipe2(pipes + 2 * opened, CloseOnExec) != 0) throw new Win32Exception(Marshal.GetLastPInvokeError());
            }
            // The child's ends: stdin reads pipe 0, stdout and stderr write pipes 1 and 2. dup2 clears close-on-exec on the copy only.
            Check(posix_spawn_file_actions_init(fileActions));
            Check(posix_spawn_file_actions_adddup2(fileActions, pipes[0], 0));
            Check(posix_spawn_file_actions_adddup2(fileActions, pipes[3], 1));
            Check(posix_spawn_file_actions_adddup2(fileActions, pipes[5], 2));
            Check(posix_spawn_file_actions_addchdir_np(fileActions, workingDirectory));
            Check(posix_spawnattr_init(attributes));
            // .NET ignores SIGPIPE and handles other signals; the job starts with every signal at its default and none blocked.
            Check(posix_spawnattr_setflags(attributes, (short)(SpawnSetProcessGroup | SpawnSetSignalDefaults | SpawnSetSignalMask)));
            // Group 0: a group of its own, led by the job. Not a session (POSIX_SPAWN_SETSID): setsid(2) makes the
            // kernel a scheduler autogroup per session, about a millisecond per job run here (bench/analysis.md).
            Check(posix_spawnattr_setpgroup(attributes, 0));
            sigfillset(signals);
            Check(posix_spawnattr_setsigdefault(attributes, signals));
            sigemptyset(signals);
            Check(posix_spawnattr_setsigmask(attributes, signals));
            int pid;
            Check(posix_spawn(&pid, program, fileActions, attributes, argv.Pointer, envp.Pointer));
            close(pipes[0]);
            close(pipes[3]);
            close(pipes[5]);
            return new ChildProcess(pid, leadsGroup: true,
                Stream(pipes[1], PipeDirection.Out), Stream(pipes[2], PipeDirection.In), Stream(pipes[4], PipeDirection.In),
                WaitAsync(pid));
        }
        catch
        {
            for (var i = 0; i < 2 * opened; i++) close(pipes[i]);
            throw;
        }
        finally
        {
            posix_spawn_file_actions_destroy(fileActions);
            posix_spawnattr_destroy(attributes);
            NativeMemory.Free(fileActions);
            NativeMemory.Free(attributes);
            NativeMemory.Free(signals);
            argv.Dispose();
            envp.Dispose();
        }
    }

    /// <summary>The parent's environment with the job's variables laid over it, as Process would pass it.</summary>
    private static IEnumerable<string> EnvironmentOf(IReadOnlyDictionary<string, string>? overrides)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            merged[(string)entry.Key] = (string?)entry.Value ?? "";
        }
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>()) merged[name] = value;
        return merged.Select(e => $"{e.Key}={e.Value}");
    }

    private static AnonymousPipeClientStream Stream(int fd, PipeDirection direction) =>
        new(direction, new SafePipeHandle(fd, ownsHandle: true));

    private static Task<int> WaitAsync(int pid) => Reapers.WaitAsync(pid, Reap);

    private static unsafe int Reap(int pid)
    {
        int status;
        while (waitpid(pid, &status, 0) < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error == NoChild) return ChildProcess.UnknownExitCode;
            if (error != Interrupted) throw new Win32Exception(error);
        }
        // Killed by a signal: 128 plus its number, as a shell and System.Diagnostics.Process report it.
        var signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }

    private static void Check(int error)
    {
        if (error != 0) throw new Win32Exception(error);
    }

    /// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings, as argv and envp are passed.</summary>
    private readonly unsafe struct NativeStrings(nint[] strings, nint* pointer) : IDisposable
    {
        public nint* Pointer => pointer;

        public static NativeStrings Of(IEnumerable<string> values)
        {
            var strings = values.Select(Marshal.StringToCoTaskMemUTF8).ToArray();
            var array = (nint*)NativeMemory.Alloc((nuint)(strings.Length + 1), (nuint)sizeof(nint));
            for (var i = 0; i < strings.Length; i++) array[i] = strings[i];
            array[strings.Length] = 0;
            return new NativeStrings(strings, array);
        }

        public void Dispose()
        {
            foreach (var s in strings) Marshal.FreeCoTaskMem(s);
            NativeMemory.Free(pointer);
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int pipe2(int* fds, int flags);

    [DllImport("libc", SetLastError = true)]
    private static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern unsafe int waitpid(int pid, int* status, int options);

    [DllImport("libc")]
    private static extern unsafe int sigfillset(void* set);

    [DllImport("libc")]
    private static extern unsafe int sigemptyset(void* set);

    [DllImport("libc")]
    private static extern unsafe int posix_spawn(int* pid, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, void* fileActions, void* attributes, nint* argv, nint* envp);

    [DllImport("libc")]
    private static extern unsafe int posix_spawn_file_actions_init(void* fileActions);

    [DllImport("libc")]
    private static extern unsafe int posix_spawn_file_actions_destroy(void* fileActions);

    [DllImport("libc")]
    private static extern unsafe int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);

    [DllImport("libc")]
    private static extern unsafe int posix_spawn_file_actions_addchdir_np(void* fileActions, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_init(void* attributes);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_destroy(void* attributes);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_setflags(void* attributes, short flags);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_setpgroup(void* attributes, int group);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_setsigdefault(void* attributes, void* signals);

    [DllImport("libc")]
    private static extern unsafe int posix_spawnattr_setsigmask(void* attributes, void* signals);
}
