using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>databuild snapshot (docs/cli.md#snapshot): a shortcut for readers that never changes an answer.</summary>
public sealed class SnapshotTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public SnapshotTests()
    {
        _graph.WriteGraph(
            ("raw", [_graph.WriteJob("raw")], ["raw/{day}"], null),
            ("daily", [_graph.WriteJob("daily", """echo "raw/${ref#daily/}" """)], ["daily/{day}"], null));
    }

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void Commands_answer_the_same_from_a_snapshot_without_one_and_past_a_damaged_one()
    {
        Assert.Equal(0, _graph.Run("build", "daily/mon", "daily/tue").ExitCode);
        var written = _graph.Run("snapshot");
        Assert.True(written.ExitCode == 0, written.ToString());
        Assert.Matches(@"wrote a snapshot of the views at event \d+", written.Stdout);
        Assert.Contains("already covers", _graph.Run("snapshot").Stdout);
        Assert.Equal(0, _graph.Run("build", "--force", "daily/mon").ExitCode);
        var fromSnapshot = Answers();
        var noWarnings = _graph.Run("status");
        Assert.DoesNotContain("warning", noWarnings.Stderr);

        Assert.Equal(0, _graph.Run("snapshot", "--delete").ExitCode);
        Assert.Equal(fromSnapshot, Answers());

        Assert.Equal(0, _graph.Run("snapshot").ExitCode);
        var snapshot = _graph.Json("snapshot").AsObject();
        Assert.False(snapshot["written"]!.GetValue<bool>());
        Damage(Path.Combine(_graph.Folder, ".databuild", "bel.sqlite"));
        var status = _graph.Run("status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("warning: ignoring the view snapshot of sqlite:", status.Stderr);
        Assert.Contains("reading the whole log instead", status.Stderr);
        Assert.Equal(fromSnapshot, Answers());
    }

    [Fact]
    public void A_file_log_keeps_its_snapshot_beside_it()
    {
        var bel = $"file:{Path.Combine(_graph.Folder, "bel.jsonl")}";
        Assert.Equal(0, _graph.Run("--bel", bel, "build", "daily/mon").ExitCode);
        Assert.Equal(0, _graph.Run("--bel", bel, "snapshot").ExitCode);
        Assert.True(File.Exists(Path.Combine(_graph.Folder, "bel.jsonl.snapshot")));
        Assert.Empty(Directory.GetFiles(_graph.Folder, "*.tmp"));
        var status = _graph.Run("--bel", bel, "--json", "status");
        Assert.Equal("", status.Stderr);
        Assert.Equal(2, JsonNode.Parse(status.Stdout)!.AsArray().Count);
    }

    private string Answers() =>
        string.Join("\n", _graph.Run("--json", "status").Stdout, _graph.Run("--json", "runs").Stdout, _graph.Run("--json", "wants", "--all").Stdout);

    // Overwrites the middle of the stored snapshot with zeros, as a bad disk would.
    private static void Damage(string database)
    {
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database};Pooling=false");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE view_snapshot SET payload = substr(payload, 1, length(payload) / 2) || zeroblob(length(payload) - length(payload) / 2)";
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
