using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

public class ConcurrencyAndRecoveryTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose() => _graph.Dispose();

    private const string SlowExec = """
        echo $$ > "job-$DATABUILD_JOB_RUN_ID.pid"
              sleep "${SLOW_SECONDS:-2}"
              mkdir -p data/slow && echo ok > data/$ref
        """;

    [Fact]
    public void Two_builds_started_together_build_a_partition_once()
    {
        _graph.WriteGraph(("slow", [_graph.WriteJob("slow", execBody: SlowExec)], ["slow/{x}"], null));

        using var first = _graph.Start("build", "slow/shared");
        using var second = _graph.Start("build", "slow/shared");
        var a = GraphFixture.Collect(first);
        var b = GraphFixture.Collect(second);

        Assert.True(a.ExitCode == 0, a.ToString());
        Assert.True(b.ExitCode == 0, b.ToString());
        Assert.Single(_graph.Runs());
        Assert.Contains("delegated", a.Stdout + b.Stdout);
        Assert.Equal("PARTITION_AVAILABLE", _graph.Statuses()["slow/shared"]);
    }

    [Fact]
    public void Two_builds_of_a_chain_of_fast_jobs_started_together_build_each_partition_once()
    {
        _graph.WriteGraph(
            ("c", [_graph.WriteJob("c")], ["c/{x}"], null),
            ("b", [_graph.WriteJob("b", "echo c/${ref#b/}")], ["b/{x}"], null),
            ("a", [_graph.WriteJob("a", "echo b/${ref#a/}")], ["a/{x}"], null));
        Assert.Equal(0, _graph.Run("status").ExitCode);

        for (var round = 1; round <= 3; round++)
        {
            using var first = _graph.Start("build", $"a/{round}");
            using var second = _graph.Start("build", $"a/{round}");
            var a = GraphFixture.Collect(first);
            var b = GraphFixture.Collect(second);
            Assert.True(a.ExitCode == 0, a.ToString());
            Assert.True(b.ExitCode == 0, b.ToString());
        }

        var built = _graph.Runs().Select(line => line.Split(' ')[2]).ToArray();
        Assert.Equal(9, built.Length);
        Assert.Equal(built.Distinct().Order(), built.Order());
    }

    [Fact]
    public void A_killed_build_is_detected_as_lost_and_redone_by_the_next_build()
    {
        _graph.WriteGraph(
            ("fast", [_graph.WriteJob("fast")], ["fast/{x}"], null),
            ("slow", [_graph.WriteJob("slow", "echo fast/${ref#slow/}", SlowExec)], ["slow/{x}"], null));

        var upstream = _graph.RunWithEnvironment(new Dictionary<string, string> { ["SLOW_SECONDS"] = "60" }, "build", "fast/1");
        Assert.True(upstream.ExitCode == 0, upstream.ToString());

        using var doomed = _graph.StartWithEnvironment(new Dictionary<string, string> { ["SLOW_SECONDS"] = "60" }, "build", "slow/1");
        GraphFixture.WaitUntil(() => Directory.GetFiles(_graph.Folder, "job-*.pid").Length == 1, "the slow job to start");
        doomed.Kill(entireProcessTree: true);
        doomed.WaitForExit();
        Assert.Equal("PARTITION_BUILDING", _graph.Statuses()["slow/1"]);

        var rerun = _graph.Run("build", "slow/1");
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Contains("closed build request", rerun.Stdout);
        Assert.Equal(3, _graph.Runs().Count);
        Assert.Single(_graph.Runs(), r => r.Contains(" fast "));
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
        var statuses = _graph.Json("runs").AsArray().Select(r => r!["status"]!.GetValue<string>()).ToArray();
        Assert.Equal(["JOB_COMPLETED", "JOB_CANCELLED", "JOB_COMPLETED"], statuses);
    }

    [Fact]
    public void Ctrl_c_stops_the_jobs_and_records_them_cancelled()
    {
        _graph.WriteGraph(("slow", [_graph.WriteJob("slow", execBody: SlowExec)], ["slow/{x}"], null));

        using var build = _graph.StartWithEnvironment(new Dictionary<string, string> { ["SLOW_SECONDS"] = "60" }, "build", "slow/1");
        GraphFixture.WaitUntil(() => Directory.GetFiles(_graph.Folder, "job-*.pid").Length == 1, "the slow job to start");
        var jobPid = int.Parse(File.ReadAllText(Directory.GetFiles(_graph.Folder, "job-*.pid")[0]).Trim());
        Process.Start("kill", ["-INT", build.Id.ToString()])!.WaitForExit();
        var result = GraphFixture.Collect(build, TimeSpan.FromSeconds(30));

        Assert.Equal(130, result.ExitCode);
        Assert.False(Directory.Exists($"/proc/{jobPid}"), "the job process outlived the cancelled build");
        Assert.Equal("PARTITION_CANCELLED", _graph.Statuses()["slow/1"]);
        Assert.Equal("JOB_CANCELLED", _graph.Json("runs").AsArray().Single()!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_second_ctrl_c_ends_a_command_stuck_waiting_for_its_postgres_server()
    {
        _graph.WriteGraph(("slow", [_graph.WriteJob("slow", execBody: SlowExec)], ["slow/{x}"], null));
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();

        using var status = _graph.Start("status", "--bel", $"postgres:Host=127.0.0.1;Port={closedPort};Username=databuild");
        var warning = await status.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("does not answer", warning);
        Process.Start("kill", ["-INT", status.Id.ToString()])!.WaitForExit();
        await Task.Delay(200);
        Process.Start("kill", ["-INT", status.Id.ToString()])!.WaitForExit();
        // Well inside the 30 s the open would otherwise keep retrying for.
        var result = GraphFixture.Collect(status, TimeSpan.FromSeconds(15));

        Assert.Equal(130, result.ExitCode);
    }
}
