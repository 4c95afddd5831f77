using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>Declared locations and the exists verb (docs/job-contract.md#locations): what is gone is rebuilt, and only that.</summary>
public class PresenceTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose() => _graph.Dispose();

    private static (string, string[], string[], JsonObject?) Job(string label, string command, string output, JsonObject? extra = null) =>
        (label, [command], [output], extra);

    private static JsonObject Located(string location) => new() { ["locations"] = new JsonArray(location) };

    private void WriteSalesAndTotals(JsonObject? totalsExtra = null, string? totalsExec = null)
    {
        _graph.WriteGraph(
            Job("sales", _graph.WriteJob("sales"), "sales/day={day}", Located("data/sales/day={day}")),
            Job("totals", _graph.WriteJob("totals", """echo "sales/${ref#totals/}" """, totalsExec), "totals/day={day}",
                totalsExtra ?? Located("data/totals/day={day}")));
    }

    [Fact]
    public void A_deleted_output_is_shown_missing_and_rebuilt_alone_and_then_nothing_is_built()
    {
        WriteSalesAndTotals();
        var first = _graph.Run("build", "totals/day=mon", "totals/day=tue");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(4, _graph.Runs().Count);

        File.Delete(Path.Combine(_graph.Folder, "data/totals/day=mon"));
        var statuses = _graph.Statuses();
        Assert.Equal("PARTITION_MISSING", statuses["totals/day=mon"]);
        Assert.Equal("PARTITION_AVAILABLE", statuses["totals/day=tue"]);
        var status = _graph.Run("status");
        Assert.Contains("MISSING", status.Stdout);
        Assert.Contains($"nothing at {Path.Combine(_graph.Folder, "data/totals/day=mon")}", status.Stdout);

        var second = _graph.Run("build", "totals/day=mon", "totals/day=tue");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(5, _graph.Runs().Count);
        Assert.EndsWith(" totals totals/day=mon", _graph.Runs()[^1]);
        Assert.True(_graph.Built("totals/day=mon"));

        var third = _graph.Run("build", "totals/day=mon", "totals/day=tue");
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(5, _graph.Runs().Count);
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
    }

    [Fact]
    public void A_deleted_upstream_output_is_rebuilt_when_its_downstream_is_requested_again()
    {
        WriteSalesAndTotals();
        Assert.Equal(0, _graph.Run("build", "totals/day=mon").ExitCode);
        File.Delete(Path.Combine(_graph.Folder, "data/sales/day=mon"));
        File.Delete(Path.Combine(_graph.Folder, "data/totals/day=mon"));

        var result = _graph.Run("build", "totals/day=mon");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["sales", "totals", "sales", "totals"], _graph.Runs().Select(r => r.Split(' ')[1]));
    }

    // sales → totals → report, each with a location.
    private void WriteChain()
    {
        _graph.WriteGraph(
            Job("sales", _graph.WriteJob("sales"), "sales/day={day}", Located("data/sales/day={day}")),
            Job("totals", _graph.WriteJob("totals", """echo "sales/${ref#totals/}" """), "totals/day={day}", Located("data/totals/day={day}")),
            Job("report", _graph.WriteJob("report", """echo "totals/${ref#report/}" """), "report/day={day}", Located("data/report/day={day}")));
    }

    [Fact]
    public void A_deleted_upstream_under_a_present_downstream_makes_it_stale_and_is_rebuilt_with_the_partitions_above_it_and_nothing_else()
    {
        WriteChain();
        Assert.Equal(0, _graph.Run("build", "report/day=mon", "report/day=tue").ExitCode);
        Assert.Equal(6, _graph.Runs().Count);

        File.Delete(Path.Combine(_graph.Folder, "data/sales/day=mon"));
        var statuses = _graph.Json("status").AsArray().ToDictionary(p => p!["partitionRef"]!.GetValue<string>(), p => p!);
        Assert.Equal("PARTITION_MISSING", statuses["sales/day=mon"]!["status"]!.GetValue<string>());
        foreach (var downstream in new[] { "totals/day=mon", "report/day=mon" })
        {
            Assert.Equal("PARTITION_STALE", statuses[downstream]!["status"]!.GetValue<string>());
            Assert.Equal("upstream sales/day=mon is missing", statuses[downstream]!["staleReason"]!.GetValue<string>());
        }
        Assert.All(["sales/day=tue", "totals/day=tue", "report/day=tue"], r => Assert.Equal("PARTITION_AVAILABLE", statuses[r]!["status"]!.GetValue<string>()));
        Assert.Contains("upstream sales/day=mon is missing", _graph.Run("status", "report/day=mon").Stdout);
        var result = _graph.Run("build", "report/day=mon", "report/day=tue");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["sales sales/day=mon", "totals totals/day=mon", "report report/day=mon"],
            _graph.Runs().Skip(6).Select(r => r[(r.IndexOf(' ') + 1)..]));
        Assert.True(_graph.Built("sales/day=mon"));
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
    }

    [Fact]
    public void A_build_with_every_partition_and_its_upstreams_present_runs_no_job()
    {
        WriteChain();
        Assert.Equal(0, _graph.Run("build", "report/day=mon", "report/day=tue").ExitCode);
        Assert.Equal(6, _graph.Runs().Count);

        var again = _graph.Run("build", "report/day=mon", "report/day=tue", "totals/day=mon");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(6, _graph.Runs().Count);
        Assert.All(_graph.Statuses().Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
    }

    [Fact]
    public void A_job_that_exits_0_without_writing_its_location_fails_with_that_message()
    {
        WriteSalesAndTotals(totalsExec: "true");
        var result = _graph.Run("build", "totals/day=mon");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains($"exited 0 but did not write {Path.Combine(_graph.Folder, "data/totals/day=mon")} (totals/day=mon)", result.Output);
        Assert.Equal("PARTITION_FAILED", _graph.Statuses()["totals/day=mon"]);
        Assert.Equal("JOB_FAILED", _graph.Json("runs").AsArray()[^1]!["status"]!.GetValue<string>());
    }

    [Fact]
    public void An_absolute_location_is_checked_where_it_points()
    {
        using var elsewhere = new TempFolder();
        var exec = $$"""mkdir -p "{{elsewhere.Path}}" && echo built > "{{elsewhere.Path}}/${ref#totals/day=}.csv" """;
        WriteSalesAndTotals(Located($"{elsewhere.Path}/{{day}}.csv"), exec);
        Assert.Equal(0, _graph.Run("build", "totals/day=mon").ExitCode);
        Assert.Equal(0, _graph.Run("build", "totals/day=mon").ExitCode);
        Assert.Equal(2, _graph.Runs().Count);

        File.Delete(Path.Combine(elsewhere.Path, "mon.csv"));
        Assert.Equal("PARTITION_MISSING", _graph.Statuses()["totals/day=mon"]);
        Assert.Equal(0, _graph.Run("build", "totals/day=mon").ExitCode);
        Assert.Equal(3, _graph.Runs().Count);
    }

    [Fact]
    public void A_job_with_the_exists_verb_is_asked_once_for_its_refs_and_what_it_leaves_out_is_rebuilt()
    {
        // The job keeps its partitions in a "store" (a folder here) that DataBuild is not told about.
        var exists = """
            echo "exists $*" >> exists.log
                  for r in "$@"; do [ -f "store/$r" ] && echo "$r"; done
                  exit 0
            """;
        var script = _graph.WriteJob("stored", execBody: """mkdir -p "store/$(dirname "$ref")" && echo x > "store/$ref" """);
        var text = File.ReadAllText(Path.Combine(_graph.Folder, script)).Replace("*) echo \"unknown verb", $"exists)\n  {exists}\n  ;;\n*) echo \"unknown verb");
        File.WriteAllText(Path.Combine(_graph.Folder, script), text);
        _graph.WriteGraph(Job("stored", script, "stored/{n}", new JsonObject { ["existsVerb"] = true }));

        Assert.Equal(0, _graph.Run("build", "stored/1", "stored/2", "stored/3").ExitCode);
        Assert.Equal(3, _graph.Runs().Count);
        Assert.Equal(0, _graph.Run("build", "stored/1", "stored/2", "stored/3").ExitCode);
        Assert.Equal(3, _graph.Runs().Count);

        File.Delete(Path.Combine(_graph.Folder, "store/stored/2"));
        Assert.Equal("PARTITION_MISSING", _graph.Statuses()["stored/2"]);
        var asksBefore = File.ReadAllLines(Path.Combine(_graph.Folder, "exists.log")).Length;
        var result = _graph.Run("build", "stored/1", "stored/2", "stored/3");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(4, _graph.Runs().Count);
        Assert.EndsWith(" stored stored/2", _graph.Runs()[^1]);
        // One exists call for the three refs of the build.
        var asks = File.ReadAllLines(Path.Combine(_graph.Folder, "exists.log")).Skip(asksBefore).ToArray();
        Assert.Equal(["exists stored/1 stored/2 stored/3"], asks);
    }

    [Fact]
    public void Locations_that_do_not_fit_the_outputs_are_refused_at_load_naming_the_field()
    {
        _graph.WriteGraph(Job("totals", _graph.WriteJob("totals"), "totals/day={day}", Located("data/totals/{month}")));
        var result = _graph.Run("build", "totals/day=mon");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("$.jobs[0].locations[0]", result.Output);
        Assert.Contains("the location 'data/totals/{month}' names {month}, which the pattern 'totals/day={day}' does not capture", result.Output);
    }
}
