using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>The databuild command on a Delta Lake log (<c>--bel delta:&lt;folder&gt;</c>, docs/event-log.md#delta-lake).</summary>
public sealed class DeltaLogTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public DeltaLogTests()
    {
        _graph.WriteGraph(
            ("raw", [_graph.WriteJob("raw")], ["raw/{day}"], null),
            ("daily", [_graph.WriteJob("daily", """echo "raw/${ref#daily/}" """)], ["daily/{day}"], null));
    }

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void A_build_on_a_delta_log_records_its_events_in_the_table_and_a_second_build_finds_them()
    {
        var table = Path.Combine(_graph.Folder, "bel-delta");
        var bel = $"delta:{table}";

        var build = _graph.Run("--bel", bel, "build", "daily/mon");

        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(_graph.Built("daily/mon") && _graph.Built("raw/mon"));
        Assert.True(File.Exists(Path.Combine(table, "_delta_log", "00000000000000000000.json")));
        Assert.NotEmpty(Directory.GetFiles(table, "*.parquet"));
        var statuses = JsonNode.Parse(_graph.Run("--bel", bel, "--json", "status").Stdout)!.AsArray();
        Assert.Equal(2, statuses.Count);
        var runsBefore = _graph.Runs().Count;
        Assert.Equal(0, _graph.Run("--bel", bel, "build", "daily/mon").ExitCode);
        Assert.Equal(runsBefore, _graph.Runs().Count);
        Assert.Equal(0, _graph.Run("--bel", bel, "snapshot").ExitCode);
        Assert.True(File.Exists(Path.Combine(table, "_databuild", "views.snapshot")));
    }

    [Fact]
    public void Compact_without_before_rewrites_a_delta_logs_data_files_into_one_and_every_answer_stays_the_same()
    {
        var table = Path.Combine(_graph.Folder, "bel-delta");
        var bel = $"delta:{table}";
        foreach (var day in new[] { "mon", "tue", "wed" }) Assert.Equal(0, _graph.Run("--bel", bel, "build", $"daily/{day}").ExitCode);
        string[] DataFiles() => Directory.GetFiles(table, "*.parquet");
        var filesBefore = DataFiles().Length;
        var status = _graph.Run("--bel", bel, "--json", "status").Stdout;
        var events = _graph.Run("--bel", bel, "--json", "events").Stdout;

        var compact = _graph.Run("--bel", bel, "--json", "compact");

        Assert.True(compact.ExitCode == 0, compact.ToString());
        var report = JsonNode.Parse(compact.Stdout)!;
        Assert.Equal(filesBefore, report["filesRemoved"]!.GetValue<int>());
        Assert.Equal(1, report["filesAdded"]!.GetValue<int>());
        Assert.Equal(status, _graph.Run("--bel", bel, "--json", "status").Stdout);
        Assert.Equal(events, _graph.Run("--bel", bel, "--json", "events").Stdout);
        var again = _graph.Run("--bel", bel, "compact");
        Assert.Contains("nothing to rewrite", again.Stdout);

        // Retention is not a Delta log's: it keeps every event.
        var retention = _graph.Run("--bel", bel, "compact", "--before", "2", "--discard");
        Assert.NotEqual(0, retention.ExitCode);
        Assert.Contains("does not support compaction", retention.Stderr);
        // Nor is rewriting files a SQLite log's: there --before is required.
        var sqlite = _graph.Run("compact");
        Assert.Equal(2, sqlite.ExitCode);
        Assert.Contains("--before is required", sqlite.Stderr);
    }
}
