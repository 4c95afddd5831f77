using System.Diagnostics;

namespace DataBuild.Cli.Tests;

/// <summary>Builds that end early, by Ctrl-C or kill -9: what they leave in the log must be true and closed.</summary>
public class InterruptionTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose() => _graph.Dispose();

    private const string SlowExec = """
        echo $$ > "slow-$DATABUILD_JOB_RUN_ID.pid"
              sleep 60
        """;

    [Fact]
    public void A_job_that_exited_0_as_the_build_was_cancelled_is_recorded_built_and_not_run_again()
    {
        // The job builds its output and exits 0. A helper it leaves behind keeps the job's stdout open, waits
        // for the job to be gone, then sends the build Ctrl-C: the signal comes strictly after the exit, while
        // the build is still collecting the job's output. A second job keeps the build running meanwhile.
        const string quickExec = """
            until [ -f cli.pid ] && ls slow-*.pid >/dev/null 2>&1; do sleep 0.05; done
                  mkdir -p data/quick && echo ok > "data/$ref"
                  job=$$
                  ( while kill -0 "$job" 2>/dev/null; do sleep 0.01; done; kill -INT "$(cat cli.pid)" ) &
                  exit 0
            """;
        _graph.WriteGraph(
            ("quick", [_graph.WriteJob("quick", execBody: quickExec)], ["quick/{x}"], null),
            ("slow", [_graph.WriteJob("slow", execBody: SlowExec)], ["slow/{x}"], null));

        using var build = _graph.Start("build", "quick/1", "slow/1", "--parallelism", "2");
        File.WriteAllText(Path.Combine(_graph.Folder, "cli.pid"), build.Id.ToString());
        var result = GraphFixture.Collect(build, TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 130, result.ToString());
        var statuses = _graph.Statuses();
        Assert.Equal("PARTITION_AVAILABLE", statuses["quick/1"]);
        Assert.Equal("PARTITION_CANCELLED", statuses["slow/1"]);
        var runs = _graph.Json("runs").AsArray().ToDictionary(r => r!["jobLabel"]!.GetValue<string>(), r => r!["status"]!.GetValue<string>());
        Assert.Equal("JOB_COMPLETED", runs["quick"]);
        Assert.Equal("JOB_CANCELLED", runs["slow"]);

        var again = _graph.Run("build", "quick/1");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Single(_graph.Runs(), r => r.Contains(" quick "));
    }

    [Fact]
    public void Recovering_a_killed_build_closes_its_partitions_that_never_started()
    {
        // Five chains top/i ← slow/i, one job at a time: when the build is killed, one slow job runs and
        // the other nine partitions are only analysed.
        _graph.WriteGraph(
            ("slow", [_graph.WriteJob("slow", execBody: SlowExec)], ["slow/{x}"], null),
            ("top", [_graph.WriteJob("top", "echo slow/${ref#top/}")], ["top/{x}"], null),
            ("other", [_graph.WriteJob("other")], ["other/{x}"], null));
        var tops = Enumerable.Range(1, 5).Select(i => $"top/{i}").ToArray();

        using var doomed = _graph.Start(["build", "--parallelism", "1", .. tops]);
        GraphFixture.WaitUntil(() => Directory.GetFiles(_graph.Folder, "slow-*.pid").Length == 1, "the first slow job to start");
        doomed.Kill(entireProcessTree: true);
        doomed.WaitForExit();
        Assert.Contains("PARTITION_ANALYZED", _graph.Statuses().Values);

        var next = _graph.Run("build", "other/1");

        Assert.True(next.ExitCode == 0, next.ToString());
        Assert.Contains("closed build request", next.Stdout);
        var statuses = _graph.Statuses();
        Assert.Equal(11, statuses.Count);
        Assert.All(statuses.Where(s => s.Key != "other/1"), s => Assert.True(s.Value == "PARTITION_CANCELLED", $"{s.Key} is {s.Value}"));
    }
}
