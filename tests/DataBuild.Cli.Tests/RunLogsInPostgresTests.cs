using System.Security.Cryptography;

namespace DataBuild.Cli.Tests;

/// <summary>
/// Job-run logs kept in a PostgreSQL log (docs/event-log.md#run-logs), against the real server scripts/postgres.sh
/// starts: a second folder with the same graph and the same log stands for another machine, one without the first
/// one's log folder, and reads every run's log from the database, the same bytes the file holds.
/// </summary>
public class RunLogsInPostgresTests : IDisposable
{
    private readonly PostgresDatabase _postgres = new();
    private readonly GraphFixture _graph = new();
    private readonly GraphFixture _elsewhere = new();
    private readonly string _bel;

    public RunLogsInPostgresTests()
    {
        _bel = "postgres:" + _postgres.NewSchema();
        foreach (var graph in new[] { _graph, _elsewhere })
        {
            graph.WriteGraph(
                ("talk", [graph.WriteJob("talk", execBody: """
                    echo "first line of $ref"
                          echo "a complaint about $ref" >&2
                          while [ ! -f release ]; do sleep 0.1; done
                          echo "last line of $ref"
                          mkdir -p data/talk && echo ok > "data/$ref"
                    """)], ["talk/{x}"], null),
                ("loud", [graph.WriteJob("loud", execBody: """
                    seq 1 700000
                          mkdir -p data/loud && echo ok > "data/$ref"
                    """)], ["loud/{x}"], null));
        }
    }

    public void Dispose()
    {
        _graph.Dispose();
        _elsewhere.Dispose();
        _postgres.Dispose();
    }

    [Fact]
    public void A_runs_log_is_read_back_from_the_database_once_its_log_folder_is_gone()
    {
        File.WriteAllText(Path.Combine(_graph.Folder, "release"), "");
        var build = _graph.Run("build", "talk/1", "--bel", _bel);
        Assert.True(build.ExitCode == 0, build.ToString());
        var runId = RunIdOf("talk");
        var file = LogFile(runId);
        var written = File.ReadAllText(file);
        Assert.Contains("[stderr] a complaint about talk/1", written);

        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        var logs = _graph.Run("logs", runId, "--bel", _bel);

        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Equal(written, logs.Stdout);
    }

    [Fact]
    public void A_live_runs_log_is_read_from_another_machine_while_it_runs_and_followed_to_its_end()
    {
        using var build = _graph.Start("build", "talk/2", "--bel", _bel);
        string? runId = null;
        GraphFixture.WaitUntil(() => (runId ??= LiveRunId()) is not null
            && _elsewhere.Run("logs", runId!, "--bel", _bel).Stdout.Contains("first line of talk/2"), "the first line, in the database, while the run waits");
        Assert.DoesNotContain("last line", _elsewhere.Run("logs", runId!, "--bel", _bel).Stdout);

        using var follow = _elsewhere.Start("logs", runId!, "--follow", "--bel", _bel);
        File.WriteAllText(Path.Combine(_graph.Folder, "release"), "");
        var followed = GraphFixture.Collect(follow, TimeSpan.FromSeconds(60));
        var built = GraphFixture.Collect(build, TimeSpan.FromSeconds(60));

        Assert.True(built.ExitCode == 0, built.ToString());
        Assert.True(followed.ExitCode == 0, followed.ToString());
        Assert.Equal(File.ReadAllText(LogFile(runId!)), followed.Stdout);
        Assert.EndsWith("last line of talk/2\n", followed.Stdout);
    }

    [Fact]
    public void Several_MiB_of_output_arrive_in_the_database_whole_and_in_order()
    {
        var build = _graph.Run("build", "loud/1", "--bel", _bel);
        Assert.True(build.ExitCode == 0, build.ToString());
        var runId = RunIdOf("loud");
        var file = File.ReadAllBytes(LogFile(runId));
        Assert.True(file.Length > 4 * 1024 * 1024, $"the job wrote {file.Length} bytes");

        var elsewhere = _elsewhere.Run("logs", runId, "--bel", _bel);

        Assert.True(elsewhere.ExitCode == 0, elsewhere.ToString());
        var read = System.Text.Encoding.UTF8.GetBytes(elsewhere.Stdout);
        Assert.Equal(file.Length, read.Length);
        Assert.Equal(SHA256.HashData(file), SHA256.HashData(read));
        var lines = elsewhere.StdoutLines;
        Assert.Equal("1", lines[0]);
        Assert.Equal("700000", lines[^1]);
    }

    [Fact]
    public void Compaction_drops_the_logs_of_the_runs_whose_events_it_drops()
    {
        File.WriteAllText(Path.Combine(_graph.Folder, "release"), "");
        var build = _graph.Run("build", "talk/3", "--bel", _bel);
        Assert.True(build.ExitCode == 0, build.ToString());
        var runId = RunIdOf("talk");
        Assert.True(_elsewhere.Run("logs", runId, "--bel", _bel).ExitCode == 0);

        // A later build keeps the log from being empty past the cut, then a snapshot covers both.
        var later = _graph.Run("build", "talk/4", "--bel", _bel);
        Assert.True(later.ExitCode == 0, later.ToString());
        var laterRun = _graph.Json("runs", "--bel", _bel).AsArray().Select(r => r!["jobRunId"]!.GetValue<string>()).Last();
        Assert.True(_graph.Run("snapshot", "--bel", _bel).ExitCode == 0);
        var events = _graph.Run("events", "--bel", _bel, "--run", laterRun, "--json");
        Assert.True(events.ExitCode == 0, events.ToString());
        var firstOfLater = System.Text.Json.Nodes.JsonNode.Parse(events.StdoutLines[0])!["index"]!.GetValue<long>();
        var compact = _graph.Run("compact", "--bel", _bel, "--before", firstOfLater.ToString(System.Globalization.CultureInfo.InvariantCulture), "--discard");
        Assert.True(compact.ExitCode == 0, compact.ToString());

        var gone = _elsewhere.Run("logs", runId, "--bel", _bel);
        Assert.True(gone.ExitCode == 2, gone.ToString());
        Assert.Contains("nor in the event log", gone.Stderr);
        var kept = _elsewhere.Run("logs", laterRun, "--bel", _bel);
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Contains("last line of talk/4", kept.Stdout);
    }

    private string RunIdOf(string job) =>
        _graph.Json("runs", "--bel", _bel, "--job", job).AsArray().Single()!["jobRunId"]!.GetValue<string>();

    // The run the other machine sees in the shared log, once there is one.
    private string? LiveRunId()
    {
        var result = _elsewhere.Run("runs", "--bel", _bel, "--json");
        return result.ExitCode == 0 && System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!.AsArray() is [{ } run, ..] ? run["jobRunId"]!.GetValue<string>() : null;
    }

    private string LogFile(string runId) => Path.Combine(_graph.Folder, ".databuild", "logs", runId + ".log");
}
