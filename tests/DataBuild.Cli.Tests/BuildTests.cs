using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

public class BuildTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose() => _graph.Dispose();

    private static (string, string[], string[], JsonObject?) Job(string label, string command, string output, JsonObject? extra = null) =>
        (label, [command], [output], extra);

    [Fact]
    public void A_diamond_builds_each_partition_once_and_a_second_build_runs_nothing()
    {
        _graph.WriteGraph(
            Job("raw", _graph.WriteJob("raw"), "raw/{day}"),
            Job("left", _graph.WriteJob("left", """echo "raw/${ref#left/}" """), "left/{day}"),
            Job("right", _graph.WriteJob("right", """echo "raw/${ref#right/}" """), "right/{day}"),
            Job("joined", _graph.WriteJob("joined", """echo "left/${ref#joined/} right/${ref#joined/}" """), "joined/{day}"));

        var first = _graph.Run("build", "joined/2020-01-01");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(4, _graph.Runs().Count);
        Assert.Single(_graph.Runs(), r => r.Contains(" raw "));
        Assert.True(_graph.Built("joined/2020-01-01"));
        Assert.Contains("Build succeeded: 4 job runs", first.Stdout);

        var second = _graph.Run("build", "joined/2020-01-01");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(4, _graph.Runs().Count);
        Assert.Contains("0 job runs", second.Stdout);
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
    }

    [Fact]
    public void A_wide_fan_in_configures_each_job_once_per_wave()
    {
        var parts = string.Join(" ", Enumerable.Range(1, 40).Select(i => $"part/{i}"));
        _graph.WriteGraph(
            Job("part", _graph.WriteJob("part"), "part/{n}"),
            Job("total", _graph.WriteJob("total", $"echo {parts}"), "total/all"));

        var result = _graph.Run("build", "total/all", "--parallelism", "4");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(41, _graph.Runs().Count);
        // One configure for `total` (wave 1), one for `part` carrying all 40 refs (wave 2).
        Assert.Equal(2, _graph.Configures().Count);
        Assert.Equal(40, _graph.Configures().Single(c => c.StartsWith("part ")).Split(' ').Length - 1);
    }

    [Fact]
    public void A_dependency_discovered_at_exec_time_is_built_and_the_job_rerun()
    {
        const string exec = """
            if [ ! -f data/lookup/table ]; then
                    echo 'DATABUILD_MISSING_DEPS_JSON: {"missingDeps":[{"impacted":[{"str":"'"$ref"'"}],"missing":[{"str":"lookup/table"}]}]}'
                    exit 3
                  fi
                  mkdir -p data/report && echo ok > data/$ref
            """;
        _graph.WriteGraph(
            Job("lookup", _graph.WriteJob("lookup"), "lookup/table"),
            Job("report", _graph.WriteJob("report", execBody: exec), "report/{day}"));

        var result = _graph.Run("build", "report/monday");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["report", "lookup", "report"], _graph.Runs().Select(r => r.Split(' ')[1]));
        var runs = _graph.Json("runs").AsArray().Select(r => r!["status"]!.GetValue<string>()).ToArray();
        Assert.Equal(["JOB_MISSING_DEPS", "JOB_COMPLETED", "JOB_COMPLETED"], runs);
        Assert.True(_graph.Built("report/monday"));

        // The dependency found at run time is lineage like any other: rebuilding it makes the report stale.
        Assert.Equal(0, _graph.Run("build", "lookup/table", "--force").ExitCode);
        Assert.Equal("PARTITION_STALE", _graph.Statuses()["report/monday"]);
    }

    [Fact]
    public void A_flaky_job_succeeds_on_retry()
    {
        const string exec = """
            n=$(cat attempts 2>/dev/null || echo 0); echo $((n + 1)) > attempts
                  if [ "$n" = 0 ]; then echo "transient failure" >&2; exit 1; fi
                  mkdir -p data/flaky && echo ok > data/$ref
            """;
        _graph.WriteGraph(Job("flaky", _graph.WriteJob("flaky", execBody: exec), "flaky/{x}", new JsonObject { ["retries"] = 2 }));

        var result = _graph.Run("build", "flaky/one");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("retrying flaky", result.Stdout);
        var runs = _graph.Json("runs").AsArray();
        Assert.Equal(["JOB_FAILED", "JOB_COMPLETED"], runs.Select(r => r!["status"]!.GetValue<string>()));
        Assert.Equal([1, 2], runs.Select(r => r!["attempt"]!.GetValue<int>()));
    }

    [Fact]
    public void A_job_that_hangs_past_its_timeout_is_killed_with_its_children()
    {
        const string exec = """
            sleep 300 &
                  echo $! > child.pid
                  wait
            """;
        _graph.WriteGraph(Job("hang", _graph.WriteJob("hang", execBody: exec), "hang/{x}", new JsonObject { ["timeoutSeconds"] = 1 }));

        var result = _graph.Run("build", "hang/forever");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("timed out", result.Stdout);
        var childPid = int.Parse(File.ReadAllText(Path.Combine(_graph.Folder, "child.pid")).Trim());
        Assert.False(Directory.Exists($"/proc/{childPid}") && !File.ReadAllText($"/proc/{childPid}/stat").Contains(") Z "),
            "the job's child process outlived the timeout");
        Assert.Equal("PARTITION_FAILED", _graph.Statuses()["hang/forever"]);
    }

    [Fact]
    public void A_cycle_is_bad_input_and_printed_as_the_cycle()
    {
        _graph.WriteGraph(
            Job("a", _graph.WriteJob("a", "echo b/${ref#a/}"), "a/{x}"),
            Job("b", _graph.WriteJob("b", "echo a/${ref#b/}"), "b/{x}"));

        var result = _graph.Run("build", "a/1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("dependency cycle: a/1 needs b/1 needs a/1", result.Stderr);
        Assert.Empty(_graph.Runs());
    }

    [Fact]
    public void An_ambiguous_ref_names_both_jobs()
    {
        _graph.WriteGraph(
            Job("first", _graph.WriteJob("first"), "data/{x}"),
            Job("second", _graph.WriteJob("second"), "data/*"));

        var result = _graph.Run("build", "data/1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("first", result.Stderr);
        Assert.Contains("second", result.Stderr);
        Assert.Contains("data/1", result.Stderr);
    }

    [Fact]
    public void An_unknown_ref_is_bad_input_and_nothing_is_recorded()
    {
        _graph.WriteGraph(Job("only", _graph.WriteJob("only"), "known/{x}"));

        var result = _graph.Run("build", "unknown/1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("unknown/1", result.Stderr);
        Assert.Equal("", _graph.Run("events", "--json").Stdout.Trim());
    }

    [Fact]
    public void An_invalid_ref_is_bad_input()
    {
        _graph.WriteGraph(Job("only", _graph.WriteJob("only"), "known/{x}"));

        var result = _graph.Run("build", "known/../etc");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("known/../etc", result.Stderr);
    }

    [Fact]
    public void Garbage_from_configure_fails_the_build_naming_the_job()
    {
        _graph.WriteGraph(Job("noisy", _graph.WriteJob("noisy", configureBody: "echo 'hello, I am not JSON'"), "noisy/{x}"));

        var result = _graph.Run("build", "noisy/1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("job noisy", result.Stderr);
        Assert.Contains("hello, I am not JSON", result.Stderr);
        Assert.Equal("PARTITION_FAILED", _graph.Statuses()["noisy/1"]);
    }

    [Fact]
    public void A_job_that_writes_half_its_outputs_then_fails_leaves_nothing_available()
    {
        const string configure = """printf '{"configs":[{"outputs":[{"str":"half/a"},{"str":"half/b"}]}]}\n'""";
        const string exec = """
            mkdir -p data/half && echo a > data/half/a
                  echo "disk full" >&2
                  exit 1
            """;
        _graph.WriteGraph(Job("half", _graph.WriteJob("half", execBody: exec, configureBody: configure), "half/{x}"));

        var result = _graph.Run("build", "half/a", "half/b");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("disk full", result.Stdout);
        var statuses = _graph.Statuses();
        Assert.Equal("PARTITION_FAILED", statuses["half/a"]);
        Assert.Equal("PARTITION_FAILED", statuses["half/b"]);
        Assert.Single(_graph.Runs());
    }

    [Fact]
    public void A_failed_upstream_fails_its_downstream_without_running_it()
    {
        _graph.WriteGraph(
            Job("broken", _graph.WriteJob("broken", execBody: "exit 1"), "broken/{x}"),
            Job("after", _graph.WriteJob("after", "echo broken/${ref#after/}"), "after/{x}"));

        var result = _graph.Run("build", "after/1");
        Assert.Equal(1, result.ExitCode);
        Assert.Single(_graph.Runs());
        Assert.Equal("PARTITION_FAILED", _graph.Statuses()["after/1"]);
        Assert.Contains("Not built: after/1", result.Stdout);
    }

    [Fact]
    public void Max_concurrency_limits_how_many_runs_of_a_job_overlap()
    {
        const string exec = """
            mkdir -p spans
                  echo "start $(date +%s%N)" >> "spans/$DATABUILD_JOB_RUN_ID"
                  sleep 0.3
                  echo "end $(date +%s%N)" >> "spans/$DATABUILD_JOB_RUN_ID"
                  mkdir -p data/limited && echo ok > data/$ref
            """;
        _graph.WriteGraph(Job("limited", _graph.WriteJob("limited", execBody: exec), "limited/{x}", new JsonObject { ["maxConcurrency"] = 1 }));

        var result = _graph.Run("build", "limited/a", "limited/b", "limited/c", "--parallelism", "3");
        Assert.True(result.ExitCode == 0, result.ToString());
        var spans = Directory.GetFiles(Path.Combine(_graph.Folder, "spans"))
            .Select(file => File.ReadAllLines(file).Select(line => long.Parse(line.Split(' ')[1])).ToArray())
            .OrderBy(span => span[0])
            .ToArray();
        Assert.Equal(3, spans.Length);
        for (var i = 1; i < spans.Length; i++) Assert.True(spans[i][0] >= spans[i - 1][1], "two runs of a job with maxConcurrency 1 overlapped");
    }

    [Fact]
    public void A_job_whose_program_is_not_on_path_fails_with_that_reason()
    {
        _graph.WriteGraph(("ghost", ["no-such-program-anywhere"], ["ghost/{x}"], null));

        var result = _graph.Run("analyze", "ghost/1");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no such program on PATH", result.Stderr);
    }
}
