using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>Wants and the reconciler through the real CLI, on bash jobs.</summary>
public class WantsTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose() => _graph.Dispose();

    /// <summary>An exec that builds its ref only once <paramref name="upstream"/> of the same key exists, reporting it missing before.</summary>
    private static string NeedsAtRunTime(string upstream) => $$"""
        need="{{upstream}}/${ref#*/}"
              if [ ! -f "data/$need" ]; then
                echo "DATABUILD_MISSING_DEPS_JSON: {\"missingDeps\":[{\"impacted\":[{\"str\":\"$ref\"}],\"missing\":[{\"str\":\"$need\"}]}]}"
                exit 1
              fi
              sleep "${SLOW_SECONDS:-0}"
              mkdir -p "data/$(dirname "$ref")" && echo ok > "data/$ref"
        """;

    private const string SlowExec = """
        echo $$ > "job-$DATABUILD_JOB_RUN_ID.pid"
              sleep "${SLOW_SECONDS:-0}"
              mkdir -p "data/$(dirname "$ref")" && echo ok > "data/$ref"
        """;

    /// <summary>a/N needs b/N and b/N needs c/N, each found only when the job runs.</summary>
    private static void WriteChain(GraphFixture graph) => graph.WriteGraph(
        ("a", [graph.WriteJob("a", execBody: NeedsAtRunTime("b"))], ["a/{n}"], null),
        ("b", [graph.WriteJob("b", execBody: NeedsAtRunTime("c"))], ["b/{n}"], null),
        ("c", [graph.WriteJob("c", execBody: SlowExec)], ["c/{n}"], null));

    private static string Id(ProcessResult created) => JsonNode.Parse(created.Stdout)!["wantId"]!.GetValue<string>();

    private string Want(params string[] args)
    {
        var created = _graph.Run(["want", .. args, "--json"]);
        Assert.True(created.ExitCode == 0, created.ToString());
        return Id(created);
    }

    private static JsonObject WantOf(GraphFixture graph, string id) =>
        graph.Json("wants").AsArray().Single(w => w!["wantId"]!.GetValue<string>() == id)!.AsObject();

    private static string Text(JsonNode? node, string field) => node![field]!.GetValue<string>();

    /// <summary>Each want as "depth partitions state sla", in tree order: what must match however the wants came about.</summary>
    private static List<string> TreeShape(GraphFixture graph)
    {
        var shape = new List<string>();
        void Walk(JsonArray wants, int depth)
        {
            foreach (var want in wants)
            {
                shape.Add($"{depth} {string.Join(",", want!["partitions"]!.AsArray().Select(p => p!.GetValue<string>()))} {Text(want, "state")} {Text(want, "sla")}");
                Walk(want["children"]!.AsArray(), depth + 1);
            }
        }
        Walk(graph.Json("wants", "--tree").AsArray(), 0);
        return shape;
    }

    /// <summary>How many job runs completed each partition.</summary>
    private static Dictionary<string, int> Completions(GraphFixture graph) => graph.Json("runs", "--limit", "1000").AsArray()
        .Where(r => Text(r, "status") == "JOB_COMPLETED")
        .SelectMany(r => r!["targets"]!.AsArray().Select(o => o!.GetValue<string>()))
        .GroupBy(p => p)
        .ToDictionary(g => g.Key, g => g.Count());

    [Fact]
    public void A_want_is_satisfied_by_one_reconcile_pass_and_the_next_pass_builds_nothing()
    {
        _graph.WriteGraph(("c", [_graph.WriteJob("c")], ["c/{n}"], null));
        var id = Want("c/1", "c/2", "--ttl", "7d", "--sla", "6h", "--reason", "the weekly report");

        var pass = _graph.Run("reconcile", "--once");

        Assert.True(pass.ExitCode == 0, pass.ToString());
        Assert.Contains("pass 1: build", pass.Stdout);
        Assert.Contains("succeeded (2 job runs) for c: c/1, c/2; wants: 1 satisfied, 0 active", pass.Stdout);
        var want = WantOf(_graph, id);
        Assert.Equal(("satisfied", "on_time", 604800, 21600), (Text(want, "state"), Text(want, "sla"), want["ttlSeconds"]!.GetValue<int>(), want["slaSeconds"]!.GetValue<int>()));
        Assert.Equal("the weekly report", Text(want, "reason"));
        Assert.Contains("@", Text(want, "requestedBy"));
        var again = _graph.Run("reconcile", "--once");
        Assert.Contains("pass 1: nothing to build; wants: no change, 0 active", again.Stdout);
        Assert.Equal(2, _graph.Runs().Count);
    }

    [Fact]
    public void A_want_no_job_can_satisfy_or_with_a_bad_duration_is_refused_with_exit_code_2_and_not_recorded()
    {
        _graph.WriteGraph(("c", [_graph.WriteJob("c")], ["c/{n}"], null));

        var unknown = _graph.Run("want", "c/1", "nope/1");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no job produces 'nope/1'", unknown.Stderr);
        var badTtl = _graph.Run("want", "c/1", "--ttl", "7 days");
        Assert.Equal(2, badTtl.ExitCode);
        Assert.Contains("--ttl '7 days' is not a duration", badTtl.Stderr);
        Assert.Empty(_graph.Json("wants").AsArray());
    }

    [Fact]
    public void Missing_dependency_reports_alone_grow_a_chain_three_levels_deep_shown_by_wants_tree()
    {
        WriteChain(_graph);
        var root = Want("a/1");

        var pass = _graph.Run("reconcile", "--once");

        Assert.True(pass.ExitCode == 0, pass.ToString());
        Assert.Contains("wants: 2 child wants, 3 satisfied, 0 active", pass.Stdout);
        var tree = _graph.Json("wants", "--tree").AsArray();
        var top = Assert.Single(tree)!;
        var child = Assert.Single(top["children"]!.AsArray())!;
        var grandchild = Assert.Single(child["children"]!.AsArray())!;
        Assert.Equal(("b/1", root, root), (child["partitions"]![0]!.GetValue<string>(), Text(child, "parentWantId"), Text(child, "rootWantId")));
        Assert.Equal(("c/1", Text(child, "wantId"), root), (grandchild["partitions"]![0]!.GetValue<string>(), Text(grandchild, "parentWantId"), Text(grandchild, "rootWantId")));
        Assert.Contains("job b reported it missing while building b/1", Text(grandchild, "reason"));
        Assert.Equal(["0 a/1 satisfied none", "1 b/1 satisfied none", "2 c/1 satisfied none"], TreeShape(_graph));
        var text = _graph.Run("wants", "--tree").Stdout.Split('\n');
        Assert.Contains(text, line => line.StartsWith("└─ " + Text(child, "wantId")));
        Assert.Contains(text, line => line.StartsWith("   └─ " + Text(grandchild, "wantId")));
    }

    [Fact]
    public void A_failing_job_is_retried_then_leaves_its_want_active_and_failing_with_the_reason_and_waits_before_the_next_try_until_cancelled()
    {
        _graph.WriteGraph(("bad", [_graph.WriteJob("bad", execBody: """echo "disk full" >&2; exit 3""")], ["bad/{n}"], new JsonObject { ["retries"] = 1 }));
        var id = Want("bad/1");

        var pass = _graph.Run("reconcile", "--once");

        Assert.Equal(1, pass.ExitCode);
        Assert.Equal(2, _graph.Runs().Count);
        var waiting = _graph.Run("reconcile", "--once");
        Assert.True(waiting.ExitCode == 0, waiting.ToString());
        Assert.Contains("nothing to build", waiting.Stdout);
        Assert.Contains("waiting to retry bad/1: 1 failed build in a row, next try after ", waiting.Stdout);
        Assert.Equal(1, _graph.Json("reconcile", "--once")["deferred"]!["bad/1"]!["failedBuilds"]!.GetValue<int>());
        Assert.Equal(2, _graph.Runs().Count);
        var want = WantOf(_graph, id);
        Assert.Equal(("active", true), (Text(want, "state"), want["failing"]!.GetValue<bool>()));
        Assert.Equal("bad/1: exit code 3: disk full", Text(want, "note"));
        Assert.Contains("active (failing)", _graph.Run("wants").Stdout);

        var cancel = _graph.Run("want", "cancel", id[^6..], "--reason", "the disk will not be fixed");
        Assert.True(cancel.ExitCode == 0, cancel.ToString());
        Assert.Equal(("cancelled", "the disk will not be fixed"), (Text(WantOf(_graph, id), "state"), Text(WantOf(_graph, id), "message")));
        Assert.Contains("nothing to build", _graph.Run("reconcile", "--once").Stdout);
        Assert.Equal(2, _graph.Runs().Count);
    }

    [Fact]
    public void Past_its_SLA_and_TTL_in_real_time_a_want_records_the_miss_once_and_expires()
    {
        _graph.WriteGraph(("bad", [_graph.WriteJob("bad", execBody: "exit 1")], ["bad/{n}"], null));
        var id = Want("bad/1", "--ttl", "1s", "--sla", "1s");
        Thread.Sleep(TimeSpan.FromSeconds(1.2));

        var pass = _graph.Run("reconcile", "--once");

        Assert.True(pass.ExitCode == 0, pass.ToString());
        Assert.Contains("nothing to build; wants: 1 SLA missed, 1 expired, 0 active", pass.Stdout);
        Assert.Empty(_graph.Runs());
        var want = WantOf(_graph, id);
        Assert.Equal(("expired", "missed"), (Text(want, "state"), Text(want, "sla")));
        Assert.StartsWith("its TTL of 1s ran out; missing bad/1", Text(want, "message"));
        var statuses = _graph.Run("events", "--json").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!["event"]!["wantEvent"]?["status"]?.GetValue<string>())
            .OfType<string>();
        Assert.Equal(["WANT_CREATED", "WANT_SLA_MISSED", "WANT_EXPIRED"], statuses);
    }

    [Fact]
    public void Two_reconcilers_started_together_build_each_partition_once_and_record_each_want_once()
    {
        _graph.WriteGraph(
            ("c", [_graph.WriteJob("c", execBody: SlowExec)], ["c/{n}"], null),
            ("b", [_graph.WriteJob("b", "echo c/${ref#b/}")], ["b/{n}"], null),
            ("a", [_graph.WriteJob("a", execBody: NeedsAtRunTime("b"))], ["a/{n}"], null));
        foreach (var n in new[] { 1, 2, 3 }) Want($"a/{n}");
        Want("b/1", "b/4");
        var slow = new Dictionary<string, string> { ["SLOW_SECONDS"] = "0.3" };

        using var first = _graph.StartWithEnvironment(slow, "reconcile", "--once", "-j", "4");
        using var second = _graph.StartWithEnvironment(slow, "reconcile", "--once", "-j", "4");
        var one = GraphFixture.Collect(first);
        var two = GraphFixture.Collect(second);

        Assert.True(one.ExitCode == 0, one.ToString());
        Assert.True(two.ExitCode == 0, two.ToString());
        var completions = Completions(_graph);
        Assert.Equal(["a/1", "a/2", "a/3", "b/1", "b/2", "b/3", "b/4", "c/1", "c/2", "c/3", "c/4"], completions.Keys.Order());
        Assert.All(completions, c => Assert.True(c.Value == 1, $"{c.Key} was built {c.Value} times"));
        var wants = _graph.Json("wants").AsArray();
        Assert.Equal(7, wants.Count);
        Assert.All(wants, w => Assert.Equal("satisfied", Text(w, "state")));
    }

    [Fact]
    public void A_reconciler_killed_mid_pass_and_restarted_converges_to_what_an_uninterrupted_one_leaves()
    {
        WriteChain(_graph);
        Want("a/1");
        using var doomed = _graph.StartWithEnvironment(new Dictionary<string, string> { ["SLOW_SECONDS"] = "60" }, "reconcile", "--interval", "1s");
        GraphFixture.WaitUntil(() => Directory.GetFiles(_graph.Folder, "job-*.pid").Length == 1, "the slow job to start");
        doomed.Kill(entireProcessTree: true);
        doomed.WaitForExit();

        var restarted = _graph.Run("reconcile", "--once");

        Assert.True(restarted.ExitCode == 0, restarted.ToString());
        Assert.Contains("closed build request", restarted.Stdout);
        using var uninterrupted = new GraphFixture();
        WriteChain(uninterrupted);
        Assert.Equal(0, uninterrupted.Run("want", "a/1").ExitCode);
        Assert.Equal(0, uninterrupted.Run("reconcile", "--once").ExitCode);
        Assert.Equal(TreeShape(uninterrupted), TreeShape(_graph));
        Assert.Equal(Completions(uninterrupted), Completions(_graph));
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
        Assert.Contains("nothing to build", _graph.Run("reconcile", "--once").Stdout);
    }
}
