using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using DataBuild.Proto;
using Google.Protobuf;

namespace DataBuild.Cli.Tests;

public class InspectionTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public InspectionTests()
    {
        _graph.WriteGraph(
            ("raw", [_graph.WriteJob("raw", execBody: """echo "raw says hello"; echo "raw warns" >&2; mkdir -p data/raw && echo x > data/$ref""")], ["raw/{day}"], null),
            ("daily", [_graph.WriteJob("daily", """echo "raw/${ref#daily/}" """)], ["daily/{day}"], null));
    }

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void Analyze_prints_the_job_graph_as_json_without_running_jobs()
    {
        var result = _graph.Run("analyze", "daily/mon");
        Assert.True(result.ExitCode == 0, result.ToString());
        var graph = JsonParser.Default.Parse<JobGraph>(result.Stdout);
        Assert.Equal(["daily", "raw"], graph.Nodes.Select(n => n.Job.Label));
        Assert.Equal("raw/mon", graph.Nodes[0].Config.Inputs.Single().PartitionRef.Str);
        Assert.Empty(_graph.Runs());
    }

    [Fact]
    public void Analyze_draws_a_mermaid_flowchart_coloured_by_status()
    {
        Assert.Equal(0, _graph.Run("build", "raw/mon").ExitCode);
        var result = _graph.Run("analyze", "daily/mon", "--format", "mermaid");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("flowchart LR", result.Stdout);
        Assert.Contains("\"raw/mon\"]):::available", result.Stdout);
        Assert.Contains("\"daily/mon\"]):::missing", result.Stdout);
        // Every line is one whole statement: a node, an edge or a class.
        Assert.All(result.Stdout.TrimEnd().Split('\n').Skip(1), line =>
            Assert.Matches(@"^    (j\d+\[""[^""]*""\]:::job|p\d+\(\[""[^""]*""\]\):::\w+|[pj]\d+ -\.?-> [pj]\d+|classDef \w+ .+)$", line));
        Assert.Equal(2, _graph.Run("analyze", "daily/mon", "--format", "svg").ExitCode);
    }

    [Fact]
    public void Status_events_runs_and_logs_show_what_happened()
    {
        var build = _graph.Run("build", "daily/mon");
        Assert.True(build.ExitCode == 0, build.ToString());

        var status = _graph.Json("status", "raw/*", "daily/tue").AsArray();
        Assert.Equal(["raw/mon", "daily/tue"], status.Select(s => s!["partitionRef"]!.GetValue<string>()));
        Assert.Equal(["PARTITION_AVAILABLE", "PARTITION_UNKNOWN"], status.Select(s => s!["status"]!.GetValue<string>()));

        var runs = _graph.Json("runs", "--job", "raw").AsArray();
        var rawRun = Assert.Single(runs)!["jobRunId"]!.GetValue<string>();
        var logs = _graph.Run("logs", rawRun);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Contains("raw says hello", logs.Stdout);
        Assert.Contains("[stderr] raw warns", logs.Stdout);
        Assert.Equal(2, _graph.Run("logs", "no-such-run").ExitCode);

        var events = _graph.Run("events", "--run", rawRun, "--json").Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!)
            .ToArray();
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Contains(rawRun, e.ToJsonString()));
        var indexes = events.Select(e => e["index"]!.GetValue<long>()).ToArray();
        Assert.Equal(indexes.Order(), indexes);

        var patterned = _graph.Run("events", "--pattern", "daily/*").Stdout;
        Assert.Contains("daily/mon", patterned);
        Assert.DoesNotContain("raw/mon", patterned.Replace("daily", ""));
    }

    [Fact]
    public void Events_follow_prints_matching_events_as_they_are_appended_until_ctrl_c()
    {
        Assert.Equal(0, _graph.Run("build", "raw/mon").ExitCode);
        var printed = new ConcurrentQueue<string>();
        using var follow = _graph.Start("events", "--follow", "--json", "--pattern", "raw/*");
        follow.OutputDataReceived += (_, line) => { if (line.Data is not null) printed.Enqueue(line.Data); };
        follow.BeginOutputReadLine();
        GraphFixture.WaitUntil(() => printed.Any(line => line.Contains("raw/mon")), "the events already in the log");

        Assert.Equal(0, _graph.Run("build", "raw/tue").ExitCode);
        GraphFixture.WaitUntil(() => printed.Any(line => line.Contains("raw/tue") && line.Contains("PARTITION_AVAILABLE")), "the new build's events");
        Process.Start("kill", ["-INT", follow.Id.ToString()])!.WaitForExit();

        Assert.True(follow.WaitForExit(TimeSpan.FromSeconds(30)), "events --follow did not stop on Ctrl-C");
        Assert.Equal(0, follow.ExitCode);
        var indexes = printed.Select(line => JsonNode.Parse(line)!["index"]!.GetValue<long>()).ToList();
        Assert.Equal(indexes.Order().Distinct(), indexes);
        Assert.DoesNotContain(printed, line => line.Contains("daily/"));
    }

    [Fact]
    public void A_rebuilt_upstream_makes_its_downstream_stale()
    {
        Assert.Equal(0, _graph.Run("build", "daily/mon").ExitCode);
        Assert.Equal(0, _graph.Run("build", "raw/mon", "--force").ExitCode);

        var daily = _graph.Json("status", "daily/mon").AsArray().Single()!;
        Assert.Equal("PARTITION_STALE", daily["status"]!.GetValue<string>());
        Assert.Contains("raw/mon", daily["staleReason"]!.GetValue<string>());

        Assert.Contains("0 job runs", _graph.Run("build", "daily/mon", "--no-rebuild-stale").Stdout);
        Assert.Contains("1 job runs", _graph.Run("build", "daily/mon").Stdout);
        Assert.Equal("PARTITION_AVAILABLE", _graph.Statuses()["daily/mon"]);
    }

    [Fact]
    public void Bad_usage_exits_2_with_a_message()
    {
        var noRefs = _graph.Run("build");
        Assert.Equal(2, noRefs.ExitCode);
        Assert.Contains("Required argument missing", noRefs.Stderr);
        Assert.Equal(2, _graph.Run("build", "daily/mon", "--parallelism", "0").ExitCode);
        var badBel = _graph.Run("status", "--bel", "mysql:somewhere");
        Assert.Equal(2, badBel.ExitCode);
        Assert.Contains("mysql:somewhere", badBel.Stderr);
        var missingGraph = _graph.Run("status", "--graph", "/nonexistent/graph.json");
        Assert.Equal(2, missingGraph.ExitCode);
    }

    [Fact]
    public void A_postgres_log_on_a_host_that_does_not_exist_exits_2_naming_the_host()
    {
        var result = _graph.Run("status", "--bel", "postgres:Host=no-such-host.invalid;Username=databuild;Password=s3cret-pw");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("databuild: cannot open the BEL postgres:", result.Stderr);
        Assert.Contains("no-such-host.invalid:5432", result.Stderr);
        Assert.DoesNotContain("s3cret-pw", result.Stderr);
        Assert.DoesNotContain("unexpected error", result.Stderr);
    }

    [Fact]
    public void Help_describes_every_command()
    {
        var help = _graph.Run("--help");
        Assert.Equal(0, help.ExitCode);
        foreach (var command in new[] { "build", "analyze", "status", "events", "runs", "logs" }) Assert.Contains(command, help.Stdout);
        Assert.Contains("Exit codes", help.Stdout);
    }
}
