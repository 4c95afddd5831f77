using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>databuild compact (docs/cli.md#compact): old events leave the live log, every answer stays.</summary>
public sealed class CompactTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public CompactTests()
    {
        _graph.WriteGraph(
            ("raw", [_graph.WriteJob("raw")], ["raw/{day}"], null),
            ("daily", [_graph.WriteJob("daily", """echo "raw/${ref#daily/}" """)], ["daily/{day}"], null));
    }

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void Compacting_keeps_every_answer_and_refuses_reads_below_the_retained_range()
    {
        Assert.Equal(0, _graph.Run("build", "daily/mon", "daily/tue").ExitCode);
        Assert.Equal(0, _graph.Run("build", "--force", "daily/mon").ExitCode);
        var refused = _graph.Run("compact", "--before", "5", "--discard");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("no usable view snapshot", refused.Stderr);
        Assert.Equal(0, _graph.Run("snapshot").ExitCode);
        var answers = Answers();
        var covered = _graph.Json("snapshot")["coveredIndex"]!.GetValue<long>();
        var archive = Path.Combine(_graph.Folder, "old.jsonl.gz");

        var compacted = _graph.Json("compact", "--before", covered.ToString(), "--archive", archive).AsObject();

        Assert.Equal(covered - 1, compacted["dropped"]!.GetValue<long>());
        Assert.True(File.Exists(archive));
        Assert.Equal(answers, Answers());
        var events = _graph.Run("events");
        Assert.Equal(2, events.ExitCode);
        Assert.Contains($"compacted up to event {covered - 1}", events.Stderr);
        Assert.Contains(archive, events.Stderr);
        Assert.Equal(0, _graph.Run("events", "--since", (covered - 1).ToString()).ExitCode);
        Assert.Equal(2, _graph.Run("snapshot", "--delete").ExitCode);
        Assert.Equal(0, _graph.Run("build", "daily/wed").ExitCode);
    }

    private string Answers() =>
        string.Join("\n", _graph.Run("--json", "status").Stdout, _graph.Run("--json", "runs").Stdout, _graph.Run("--json", "wants", "--all").Stdout);
}
