using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>
/// The engine fixture's graphs with every job on a real Slurm cluster, the one-node cluster scripts/slurm.sh starts
/// (scripts/test.sh does, and exports SLURM_CONF): the engine's rules hold whatever the executor.
/// </summary>
public class SlurmExecutorTests : IDisposable
{
    private static readonly JsonObject OnSlurm = new() { ["executor"] = new JsonObject { ["kind"] = "slurm", ["partition"] = "debug" } };

    private readonly GraphFixture _graph = new();

    public SlurmExecutorTests()
    {
        Assert.True(Environment.GetEnvironmentVariable("SLURM_CONF") is { Length: > 0 },
            "the Slurm tests need a cluster: eval \"$(bash scripts/slurm.sh start)\" first (scripts/test.sh does)");
    }

    public void Dispose() => _graph.Dispose();

    private static JsonObject Slurm(JsonObject? extra = null)
    {
        var job = (JsonObject)OnSlurm.DeepClone();
        foreach (var (key, value) in extra ?? []) job[key] = value?.DeepClone();
        return job;
    }

    [Fact]
    public void Every_partition_of_a_chain_is_built_once_on_slurm_and_its_logs_show_the_job_output()
    {
        const string loudExec = """
            echo "on slurm job ${SLURM_JOB_ID:-none}"
                  echo "a line on stderr" >&2
                  mkdir -p "data/$(dirname "$ref")" && echo ok > "data/$ref"
            """;
        _graph.WriteGraph(
            ("c", [_graph.WriteJob("c", execBody: loudExec)], ["c/{x}"], null),
            ("b", [_graph.WriteJob("b", "echo c/${ref#b/}")], ["b/{x}"], null),
            ("a", [_graph.WriteJob("a", "echo b/${ref#a/}")], ["a/{x}"], null));

        // The graph names no executor: --executor sends every job to the cluster.
        var result = _graph.Run("build", "a/1", "a/2", "a/3", "--executor", "slurm", "-j", "4");

        Assert.True(result.ExitCode == 0, result.ToString());
        var built = _graph.Runs().Select(line => line.Split(' ')[2]).ToArray();
        Assert.Equal(9, built.Length);
        Assert.Equal(built.Distinct().Order(), built.Order());
        var submissions = Submissions();
        Assert.Equal(9, submissions.Count);
        Assert.All(submissions.Values, id => Assert.True(long.TryParse(id, out _), $"'{id}' is not a Slurm job id"));

        var runId = _graph.Runs().First(line => line.Contains(" c ")).Split(' ')[0];
        var logs = _graph.Run("logs", runId);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains($"on slurm job {submissions[runId]}", logs.Stdout);
        Assert.Contains("[stderr] a line on stderr", logs.Stdout);
    }

    [Fact]
    public void A_failing_job_on_slurm_is_retried_and_then_built()
    {
        const string flakyExec = """
            if [ ! -f "failed-once-${ref//\//_}" ]; then touch "failed-once-${ref//\//_}"; echo "first attempt fails" >&2; exit 3; fi
                  mkdir -p data/flaky && echo ok > "data/$ref"
            """;
        _graph.WriteGraph(("flaky", [_graph.WriteJob("flaky", execBody: flakyExec)], ["flaky/{x}"], Slurm(new() { ["retries"] = 1 })));

        var result = _graph.Run("build", "flaky/1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("retrying flaky flaky/1: exit code 3: first attempt fails", result.Stdout);
        Assert.Equal(2, _graph.Runs().Count);
        var statuses = _graph.Json("runs").AsArray().Select(r => r!["status"]!.GetValue<string>()).ToArray();
        Assert.Equal(["JOB_FAILED", "JOB_COMPLETED"], statuses);
        Assert.True(_graph.Built("flaky/1"));
    }

    [Fact]
    public void A_timeout_is_enforced_by_scancel_within_two_seconds_of_the_limit()
    {
        // Slurm itself would check its --time only every ~30 s; the job notes when it started and when SIGTERM came.
        const string stuckExec = """
            date +%s.%N > started
                  trap 'date +%s.%N > stopped; exit 143' TERM
                  sleep 120 & wait
            """;
        _graph.WriteGraph(("stuck", [_graph.WriteJob("stuck", execBody: stuckExec)], ["stuck/{x}"], Slurm(new() { ["timeoutSeconds"] = 3 })));

        var result = _graph.Run("build", "stuck/1");

        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("timed out after", result.Stdout);
        GraphFixture.WaitUntil(() => File.Exists(Path.Combine(_graph.Folder, "stopped")), "the job's note of its SIGTERM");
        var ranFor = Seconds("stopped") - Seconds("started");
        Assert.True(ranFor is > 2 and < 5, $"the job ran {ranFor:0.00}s under a timeout of 3s");
        Assert.Empty(Queued());
    }

    [Fact]
    public void Ctrl_c_cancels_every_submitted_job_and_leaves_none_in_squeue()
    {
        const string slowExec = """
            echo $$ > "slow-$DATABUILD_JOB_RUN_ID.pid"
                  sleep 120
            """;
        _graph.WriteGraph(("slow", [_graph.WriteJob("slow", execBody: slowExec)], ["slow/{x}"], Slurm()));

        using var build = _graph.Start("build", "slow/1", "slow/2", "slow/3", "-j", "3");
        // The one-node cluster runs two at once: the third waits, PENDING, in Slurm's queue.
        GraphFixture.WaitUntil(() => Directory.GetFiles(_graph.Folder, "slow-*.pid").Length == 2 && Queued().Count == 3, "two jobs running and one queued");
        Signal(build.Id, "INT");
        var result = GraphFixture.Collect(build, TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Empty(Queued());
        var runs = _graph.Json("runs").AsArray().Select(r => r!["status"]!.GetValue<string>()).ToArray();
        Assert.Equal(["JOB_CANCELLED", "JOB_CANCELLED", "JOB_CANCELLED"], runs);
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_CANCELLED", s));
    }

    [Fact]
    public void After_kill_9_the_next_build_adopts_the_jobs_slurm_still_runs_and_builds_nothing_twice()
    {
        const string slowExec = """
            echo $$ > "slow-$DATABUILD_JOB_RUN_ID.pid"
                  sleep 4
                  mkdir -p data/slow && echo ok > "data/$ref"
            """;
        _graph.WriteGraph(
            ("slow", [_graph.WriteJob("slow", execBody: slowExec)], ["slow/{x}"], Slurm()),
            ("top", [_graph.WriteJob("top", "echo slow/${ref#top/}")], ["top/{x}"], Slurm()));
        string[] tops = ["top/1", "top/2", "top/3"];

        using var doomed = _graph.Start(["build", "-j", "3", .. tops]);
        GraphFixture.WaitUntil(() => Directory.GetFiles(_graph.Folder, "slow-*.pid").Length == 2 && Queued().Count == 3, "two jobs running and one queued");
        doomed.Kill(entireProcessTree: true);
        doomed.WaitForExit();
        Assert.Equal(3, Queued().Count);

        var next = _graph.Run(["build", "-j", "3", .. tops]);

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Equal(3, next.StdoutLines.Count(l => l.Contains("adopted  slow")));
        var built = _graph.Runs().Select(line => line.Split(' ')[2]).ToArray();
        Assert.Equal(["slow/1", "slow/2", "slow/3", "top/1", "top/2", "top/3"], built.Order());
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
        Assert.Empty(Queued());
    }

    // Each run's Slurm job id, from the RUNNING events that recorded its submission.
    private Dictionary<string, string> Submissions()
    {
        var result = _graph.Run("events", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StdoutLines.Select(line => JsonNode.Parse(line)!["event"]!["jobEvent"])
            .Where(j => j?["submission"] is { } s && s["kind"]!.GetValue<string>() == "slurm")
            .ToDictionary(j => j!["jobRunId"]!.GetValue<string>(), j => j!["submission"]!["externalId"]!.GetValue<string>());
    }

    // This test's jobs Slurm still holds or runs (squeue's default states), by their names: the ids of its runs, which name their logs.
    private List<string> Queued()
    {
        var result = ProcessRun.Run("squeue", _graph.Folder, ["--noheader", "--format=%j"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var logs = Path.Combine(_graph.Folder, ".databuild", "logs");
        var ours = Directory.Exists(logs) ? Directory.GetFiles(logs, "*.log").Select(Path.GetFileNameWithoutExtension).ToHashSet() : [];
        return result.StdoutLines.Where(ours.Contains).ToList();
    }

    private double Seconds(string file) => double.Parse(File.ReadAllText(Path.Combine(_graph.Folder, file)).Trim(), CultureInfo.InvariantCulture);

    private static void Signal(int pid, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
