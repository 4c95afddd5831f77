using System.Runtime.InteropServices;

namespace DataBuild.Execution;

/// <summary>Signals for a job's process group (its leader's pid negated, as kill(2) takes it) or for a single process.</summary>
internal static class ProcessGroup
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="target"/> (a pid, or a group as its negated leader's pid); one that is gone is no error.</summary>
    public static void Signal(int target, int signal)
    {
        if (target != 0) _ = kill(target, signal);
    }

    /// <summary>Kills the group led by <paramref name="leader"/> and waits, at most <paramref name="patience"/>, until none of its processes is left (SIGKILL is not instant).</summary>
    public static async Task KillAsync(int leader, TimeSpan patience)
    {
        if (leader <= 0) return;
        Signal(-leader, SigKill);
        var deadline = DateTime.UtcNow + patience;
        while (kill(-leader, 0) == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
