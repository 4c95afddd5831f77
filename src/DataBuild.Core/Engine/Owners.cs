using System.Diagnostics;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Engine;

/// <summary>
/// Who owns a build, and whether that owner is still alive: on this host by its pid and the process's start
/// time (a recycled pid is a different process); elsewhere by the heartbeat lease it keeps renewing.
/// </summary>
public static class Owners
{
    private const long StartTimeToleranceMs = 1_000;

    public static RunOwner Current { get; } = Describe(Process.GetCurrentProcess());

    public static RunOwner Describe(Process process) => new()
    {
        Host = Environment.MachineName,
        Pid = process.Id,
        ProcessStartUnixMs = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds(),
    };

    /// <summary>True while the request's owner may still be working on it.</summary>
    public static bool IsAlive(BuildRequestSummary request, DateTimeOffset now, TimeSpan lease)
    {
        var owner = request.Owner;
        if (owner is not null && owner.Host == Environment.MachineName) return IsRunningHere(owner);
        var nowNanos = (now.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;
        var expires = request.LeaseExpiresAt > 0 ? request.LeaseExpiresAt : request.ReceivedAt + (long)lease.TotalMilliseconds * 1_000_000;
        return expires > nowNanos;
    }

    public static string Describe(RunOwner? owner) =>
        owner is null ? "an unknown process" : $"process {owner.Pid} on {owner.Host}";

    private static bool IsRunningHere(RunOwner owner)
    {
        try
        {
            using var process = Process.GetProcessById(owner.Pid);
            if (process.HasExited) return false;
            var started = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds();
            return Math.Abs(started - owner.ProcessStartUnixMs) <= StartTimeToleranceMs;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
