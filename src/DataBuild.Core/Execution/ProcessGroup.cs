using System.Runtime.InteropServices;
using DataBuild.Graphs;

namespace DataBuild.Execution;

/// <summary>
/// Each job process leads its own session and process group, so a signal reaches it and every descendant
/// that stayed in the group, including ones whose parent already exited. CliWrap (like the
/// <see cref="System.Diagnostics.Process"/> it wraps) has no hook to call setsid(2) between fork and exec,
/// sends its graceful interrupt to the main process only, and kills by walking the live tree of children,
/// which misses orphans; so on Linux the job is started through util-linux <c>setsid</c>, which calls
/// setsid(2) and execs the job in place, and the group is signalled with kill(2) on its negative id.
/// setsid(1) forks only when its caller already leads a group, and a freshly forked child never does,
/// so the job keeps the pid CliWrap reports and that pid is the group's id.
/// </summary>
internal static class ProcessGroup
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    private static readonly Lazy<string?> Launcher = new(() => ExecutableSearch.Resolve("setsid"));

    /// <summary>Whether jobs run in their own group here: on Linux, with setsid(1) on PATH.</summary>
    public static bool Supported => OperatingSystem.IsLinux() && Launcher.Value is not null;

    /// <summary>The program and arguments that start <paramref name="program"/> as a group leader.</summary>
    public static (string Program, IEnumerable<string> Arguments) Wrap(string program, IEnumerable<string> arguments) =>
        Supported ? (Launcher.Value!, arguments.Prepend(program).Prepend("--")) : (program, arguments);

    /// <summary>Sends <paramref name="signal"/> to every process in the group led by <paramref name="leader"/>; a group that is gone is no error.</summary>
    public static void Signal(int leader, int signal)
    {
        if (leader > 0) _ = kill(-leader, signal);
    }

    /// <summary>Kills the group and waits, at most <paramref name="patience"/>, until none of its processes is left (SIGKILL is not instant).</summary>
    public static async Task KillAsync(int leader, TimeSpan patience)
    {
        if (leader <= 0) return;
        Signal(leader, SigKill);
        var deadline = DateTime.UtcNow + patience;
        while (kill(-leader, 0) == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
