using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

public class ProgressLinesTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void Build_with_progress_jsonl_prints_one_json_object_per_event_with_the_run_id_and_log_of_each_job()
    {
        _graph.WriteGraph(
            ("good", [_graph.WriteJob("good")], ["good/{day}"], null),
            ("bad", [_graph.WriteJob("bad", execBody: """echo "bad broke" >&2; exit 1""")], ["bad/{day}"], null));

        var result = _graph.Run("build", "good/mon", "bad/mon", "--progress", "jsonl");

        Assert.True(result.ExitCode == 1, result.ToString());
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var events = lines.Where(l => l.StartsWith('{')).Select(l => JsonNode.Parse(l)!.AsObject()).ToArray();
        Assert.Equal("Planned", events[0]["kind"]!.GetValue<string>());
        var succeeded = Assert.Single(events, e => e["kind"]!.GetValue<string>() == "JobSucceeded");
        var failed = Assert.Single(events, e => e["kind"]!.GetValue<string>() == "JobFailed");
        Assert.Equal("good", succeeded["job"]!.GetValue<string>());
        Assert.Equal(["good/mon"], succeeded["partitions"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("bad", failed["job"]!.GetValue<string>());
        Assert.True(Guid.TryParse(failed["jobRunId"]!.GetValue<string>(), out _), failed.ToJsonString());
        Assert.Contains("bad broke", File.ReadAllText(failed["logPath"]!.GetValue<string>()));
        Assert.Equal(1, failed["failed"]!.GetValue<int>());
        Assert.Equal(2, events.Count(e => e["kind"]!.GetValue<string>() == "JobStarted"));
        // The summary stays a line for people, after the events.
        Assert.StartsWith("Build failed", lines[^2]);
    }
}
