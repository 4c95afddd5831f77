using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>Code identity and versions (docs/concepts.md#staleness): what a change of a job's code or version rebuilds.</summary>
public class CodeChangeTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose() => _graph.Dispose();

    private static (string, string[], string[], JsonObject?) Job(string label, string command, string output, string version = "") =>
        (label, [command], [output], version.Length > 0 ? new JsonObject { ["version"] = version } : null);

    // sales → totals → report, plus other/{day} beside them.
    private void WriteGraph(string totalsVersion = "")
    {
        _graph.WriteGraph(
            Job("sales", _graph.WriteJob("sales"), "sales/day={day}"),
            Job("totals", _graph.WriteJob("totals", """echo "sales/${ref#totals/}" """), "totals/day={day}", totalsVersion),
            Job("report", _graph.WriteJob("report", """echo "totals/${ref#report/}" """), "report/day={day}"),
            Job("other", _graph.WriteJob("other"), "other/day={day}"));
    }

    private void EditTotals() => File.AppendAllText(Path.Combine(_graph.Folder, "jobs/totals.sh"), "\n# computes differently now\n");

    private string[] RunsSince(int before) => _graph.Runs().Skip(before).Select(r => r.Split(' ')[1] + " " + r.Split(' ')[2]).Order().ToArray();

    private void Build(params string[] args)
    {
        var result = _graph.Run(["build", .. args]);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Editing_a_jobs_code_rebuilds_its_partitions_and_their_downstreams_and_nothing_else()
    {
        WriteGraph();
        Build("report/day=mon", "report/day=tue", "other/day=mon");
        var before = _graph.Runs().Count;

        EditTotals();
        var statuses = _graph.Json("status").AsArray().ToDictionary(p => p!["partitionRef"]!.GetValue<string>(), p => p!);
        Assert.Equal("PARTITION_STALE", statuses["totals/day=mon"]!["status"]!.GetValue<string>());
        Assert.Equal("code of job totals changed", statuses["totals/day=mon"]!["staleReason"]!.GetValue<string>());
        Assert.Equal("upstream totals/day=mon is stale", statuses["report/day=mon"]!["staleReason"]!.GetValue<string>());
        Assert.Equal("PARTITION_AVAILABLE", statuses["sales/day=mon"]!["status"]!.GetValue<string>());
        Assert.Contains("code of job totals changed", _graph.Run("status").Stdout);

        Build("report/day=mon", "report/day=tue", "other/day=mon");
        Assert.Equal(["report report/day=mon", "report report/day=tue", "totals totals/day=mon", "totals totals/day=tue"], RunsSince(before));
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));

        var again = _graph.Runs().Count;
        Build("report/day=mon", "report/day=tue", "other/day=mon");
        Assert.Equal(again, _graph.Runs().Count);
    }

    [Fact]
    public void Changing_an_argument_of_a_jobs_command_rebuilds_its_partitions_and_their_downstreams_and_nothing_else()
    {
        var totals = _graph.WriteJob("totals", """echo "sales/${ref#totals/}" """);
        void Write(string mode) => _graph.WriteGraph(
            Job("sales", _graph.WriteJob("sales"), "sales/day={day}"),
            ("totals", ["env", $"MODE={mode}", totals], ["totals/day={day}"], null),
            Job("report", _graph.WriteJob("report", """echo "totals/${ref#report/}" """), "report/day={day}"));
        Write("fast");
        Build("report/day=mon");
        var before = _graph.Runs().Count;

        Write("slow");
        Assert.Equal("code of job totals changed", _graph.Json("status", "totals/day=mon").AsArray().Single()!["staleReason"]!.GetValue<string>());
        Build("report/day=mon");
        Assert.Equal(["report report/day=mon", "totals totals/day=mon"], RunsSince(before));
    }

    [Fact]
    public void A_run_records_its_jobs_code_key_and_a_new_key_after_an_edit()
    {
        WriteGraph();
        Build("totals/day=mon");
        EditTotals();
        Build("totals/day=mon");

        var keys = _graph.Json("runs", "--job", "totals").AsArray().Select(r => r!["codeKey"]!.GetValue<string>()).ToArray();
        Assert.Equal(2, keys.Length);
        Assert.All(keys, k => Assert.Matches("^[0-9a-f]{32}$", k));
        Assert.NotEqual(keys[0], keys[1]);
    }

    [Fact]
    public void A_minor_version_bump_with_a_code_change_rebuilds_nothing_and_status_says_it_is_compatible()
    {
        WriteGraph("1.0");
        Build("report/day=mon");
        var before = _graph.Runs().Count;

        WriteGraph("1.1");
        EditTotals();
        var status = _graph.Run("status");
        Assert.Contains("code of job totals changed, compatible under version 1.1", status.Stdout);
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
        Build("report/day=mon");
        Assert.Equal(before, _graph.Runs().Count);
    }

    [Fact]
    public void A_major_version_bump_rebuilds_the_jobs_partitions_and_downstreams()
    {
        WriteGraph("1.4");
        Build("report/day=mon");
        var before = _graph.Runs().Count;

        WriteGraph("2.0");
        var totals = _graph.Json("status", "totals/day=mon").AsArray().Single()!;
        Assert.Equal("job version 1.4 → 2.0", totals["staleReason"]!.GetValue<string>());
        Build("report/day=mon");
        Assert.Equal(["report report/day=mon", "totals totals/day=mon"], RunsSince(before));
    }

    [Fact]
    public void No_rebuild_stale_keeps_stale_partitions_and_rebuild_stale_is_still_accepted()
    {
        WriteGraph();
        Build("report/day=mon");
        var before = _graph.Runs().Count;
        EditTotals();

        Build("report/day=mon", "--no-rebuild-stale");
        Assert.Equal(before, _graph.Runs().Count);
        Assert.Equal("PARTITION_STALE", _graph.Statuses()["report/day=mon"]);

        Build("report/day=mon", "--rebuild-stale");
        Assert.Equal(before + 2, _graph.Runs().Count);
        var both = _graph.Run("build", "report/day=mon", "--rebuild-stale", "--no-rebuild-stale");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("contradict", both.Stderr);
    }
}

/// <summary><c>databuild invalidate</c>: nothing deleted, the next build rebuilds what it named and what was built from it.</summary>
public class InvalidateTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void Invalidated_partitions_are_stale_with_the_reason_and_the_next_build_rebuilds_them_and_their_downstreams()
    {
        _graph.WriteGraph(
            ("sales", [_graph.WriteJob("sales")], ["sales/day={day}"], null),
            ("totals", [_graph.WriteJob("totals", """echo "sales/${ref#totals/}" """)], ["totals/day={day}"], null));
        Assert.Equal(0, _graph.Run("build", "totals/day=mon", "totals/day=tue").ExitCode);
        var before = _graph.Runs().Count;

        var invalidate = _graph.Run("invalidate", "sales/*", "--reason", "the raw feed was corrected");
        Assert.True(invalidate.ExitCode == 0, invalidate.ToString());
        Assert.Contains("Invalidated 2 partitions", invalidate.Stdout);
        Assert.True(_graph.Built("sales/day=mon"));
        var sales = _graph.Json("status", "sales/day=mon").AsArray().Single()!;
        Assert.Equal("PARTITION_STALE", sales["status"]!.GetValue<string>());
        Assert.Equal("invalidated: the raw feed was corrected", sales["staleReason"]!.GetValue<string>());
        Assert.Contains("INVALIDATED sales/day=mon sales/day=tue", _graph.Run("events").Stdout);

        // --no-rebuild-stale keeps what is stale as a consequence, not what was invalidated.
        Assert.Equal(0, _graph.Run("build", "sales/day=mon", "totals/day=tue", "--no-rebuild-stale").ExitCode);
        Assert.Equal(["sales sales/day=mon"], _graph.Runs().Skip(before).Select(r => string.Join(' ', r.Split(' ')[1..])));
        Assert.Equal(0, _graph.Run("build", "totals/day=mon", "totals/day=tue").ExitCode);
        Assert.Equal(["sales sales/day=tue", "totals totals/day=mon", "totals totals/day=tue"],
            _graph.Runs().Skip(before + 1).Select(r => string.Join(' ', r.Split(' ')[1..])).Order());
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
    }

    [Fact]
    public void Invalidating_what_was_never_built_is_refused_and_writes_nothing()
    {
        _graph.WriteGraph(("sales", [_graph.WriteJob("sales")], ["sales/day={day}"], null));
        Assert.Equal(0, _graph.Run("build", "sales/day=mon").ExitCode);
        int Events() => _graph.Run("events", "--json").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var events = Events();

        var result = _graph.Run("invalidate", "sales/day=mon", "sales/day=sun", "other/*");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("sales/day=sun was never built, so there is nothing to invalidate; no built partition matches 'other/*'", result.Stderr);
        Assert.Equal(events, Events());
    }
}
