using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>
/// Recovery after a kill -9 when Slurm cannot be asked about the dead build's runs (docs/executors.md#recovery), on the
/// cluster scripts/slurm.sh starts: the next build reaches no controller (its SLURM_CONF names a port nothing listens
/// on) and fails naming the runs, leaving them open; once Slurm answers again a build adopts them, nothing run twice.
/// </summary>
public class SlurmRecoveryTests : IDisposable
{
    private readonly GraphFixture _graph = new();
    private readonly string _slurmConf;

    public SlurmRecoveryTests()
    {
        _slurmConf = Environment.GetEnvironmentVariable("SLURM_CONF") ?? "";
        Assert.True(_slurmConf.Length > 0, "the Slurm tests need a cluster: eval \"$(bash scripts/slurm.sh start)\" first (scripts/test.sh does)");
    }

    public void Dispose()
    {
        // A failed test leaves no job of its own waiting on the cluster.
        foreach (var name in Queued()) ProcessRun.Run("scancel", _graph.Folder, [$"--name={name}"]);
        _graph.Dispose();
    }

    [Fact]
    public void A_build_that_cannot_ask_slurm_about_a_dead_builds_runs_fails_naming_them_and_a_later_one_adopts_them()
    {
        const string slowExec = """
            echo $$ > "slow-$DATABUILD_JOB_RUN_ID.pid"
                  for i in $(seq 600); do [ -f release ] && break; sleep 0.2; done
                  mkdir -p data/slow && echo ok > "data/$ref"
            """;
        var onSlurm = new JsonObject { ["executor"] = new JsonObject { ["kind"] = "slurm", ["partition"] = "debug" } };
        _graph.WriteGraph(
            ("slow", [_graph.WriteJob("slow", execBody: slowExec)], ["slow/{x}"], onSlurm),
            ("top", [_graph.WriteJob("top", "echo slow/${ref#top/}")], ["top/{x}"], onSlurm));
        string[] tops = ["top/1", "top/2", "top/3"];

        using var doomed = _graph.Start(["build", "-j", "3", .. tops]);
        GraphFixture.WaitUntil(() => Directory.GetFiles(_graph.Folder, "slow-*.pid").Length == 2 && Queued().Count == 3, "two jobs running and one queued");
        doomed.Kill(entireProcessTree: true);
        doomed.WaitForExit();
        var slowRuns = _graph.Json("runs", "--job", "slow").AsArray().Select(r => r!["jobRunId"]!.GetValue<string>()).ToArray();
        Assert.Equal(3, slowRuns.Length);

        // The same cluster's configuration, but a controller port nothing listens on: squeue cannot reach it.
        var unreachable = Path.Combine(_graph.Folder, "unreachable-slurm.conf");
        File.WriteAllLines(unreachable, File.ReadAllLines(_slurmConf).Select(l => l.StartsWith("SlurmctldPort=", StringComparison.Ordinal) ? "SlurmctldPort=1" : l));
        var blind = _graph.RunWithEnvironment(new Dictionary<string, string> { ["SLURM_CONF"] = unreachable }, ["build", "-j", "3", .. tops]);

        Assert.True(blind.ExitCode == 1, blind.ToString());
        foreach (var said in (string[])["could not ask Slurm about 3 runs", "Unable to contact slurm controller", "build again once Slurm answers", .. slowRuns])
            Assert.True(blind.Stdout.Contains(said, StringComparison.Ordinal), $"no '{said}' in: {blind}");
        Assert.DoesNotContain("adopted", blind.Stdout);
        // Nothing closed, nothing started again: the dead build's runs are as it left them, and Slurm still has all three.
        var statuses = _graph.Json("runs", "--job", "slow").AsArray().Select(r => r!["status"]!.GetValue<string>()).ToArray();
        Assert.All(statuses, s => Assert.True(s is "JOB_RUNNING" or "JOB_SCHEDULED", s));
        Assert.Empty(_graph.Json("runs", "--job", "top").AsArray());
        Assert.Equal(3, Queued().Count);

        File.WriteAllText(Path.Combine(_graph.Folder, "release"), "");
        var next = _graph.Run(["build", "-j", "3", .. tops]);

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(3, next.StdoutLines.Count(l => l.Contains("adopted  slow")));
        var built = _graph.Runs().Select(line => line.Split(' ')[2]).ToArray();
        Assert.Equal(["slow/1", "slow/2", "slow/3", "top/1", "top/2", "top/3"], built.Order());
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
        Assert.Empty(Queued());
    }

    // This test's jobs Slurm still holds or runs, by their names: the ids of its runs, which name their logs.
    private List<string> Queued()
    {
        var result = ProcessRun.Run("squeue", _graph.Folder, ["--noheader", "--format=%j"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var logs = Path.Combine(_graph.Folder, ".databuild", "logs");
        var ours = Directory.Exists(logs) ? Directory.GetFiles(logs, "*.log").Select(Path.GetFileNameWithoutExtension).ToHashSet() : [];
        return result.StdoutLines.Where(ours.Contains).ToList();
    }
}
