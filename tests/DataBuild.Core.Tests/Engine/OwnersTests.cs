using System.Diagnostics;
using DataBuild.Engine;
using DataBuild.Proto;
using DataBuild.Views;

namespace DataBuild.Core.Tests.Engine;

public class OwnersTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private static long Nanos(DateTimeOffset time) => (time.UtcTicks - DateTime.UnixEpoch.Ticks) * 100;

    [Fact]
    public void An_owner_on_this_host_is_alive_while_its_process_runs()
    {
        var request = new BuildRequestSummary("r") { Owner = Owners.Current, ReceivedAt = Nanos(Now) };
        Assert.True(Owners.IsAlive(request, Now.AddDays(1), Lease));
    }

    [Fact]
    public void An_owner_on_this_host_whose_process_is_gone_is_dead_even_within_its_lease()
    {
        using var exited = Process.Start("true")!;
        exited.WaitForExit();
        var owner = new RunOwner { Host = Environment.MachineName, Pid = exited.Id, ProcessStartUnixMs = 1 };
        var request = new BuildRequestSummary("r") { Owner = owner, ReceivedAt = Nanos(Now), LeaseExpiresAt = Nanos(Now.AddHours(1)) };
        Assert.False(Owners.IsAlive(request, Now, Lease));
    }

    [Fact]
    public void A_recycled_pid_is_not_the_owner()
    {
        var owner = Owners.Current.Clone();
        owner.ProcessStartUnixMs -= 60_000;
        Assert.False(Owners.IsAlive(new BuildRequestSummary("r") { Owner = owner }, Now, Lease));
    }

    [Fact]
    public void An_owner_on_another_host_is_alive_until_its_lease_lapses()
    {
        var owner = new RunOwner { Host = "some-other-host", Pid = 1, ProcessStartUnixMs = 1 };
        var request = new BuildRequestSummary("r") { Owner = owner, ReceivedAt = Nanos(Now), LeaseExpiresAt = Nanos(Now.AddSeconds(30)) };
        Assert.True(Owners.IsAlive(request, Now.AddSeconds(29), Lease));
        Assert.False(Owners.IsAlive(request, Now.AddSeconds(31), Lease));

        var neverBeat = new BuildRequestSummary("r") { Owner = owner, ReceivedAt = Nanos(Now) };
        Assert.True(Owners.IsAlive(neverBeat, Now.AddSeconds(10), Lease));
        Assert.False(Owners.IsAlive(neverBeat, Now.AddSeconds(40), Lease));
    }
}
