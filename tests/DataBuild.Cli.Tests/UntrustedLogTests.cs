using System.Text.Json.Nodes;
using DataBuild.Events;
using DataBuild.Proto;
using Google.Protobuf;

namespace DataBuild.Cli.Tests;

/// <summary>A log edited by hand: what it claims is checked, never trusted.</summary>
public sealed class UntrustedLogTests : IDisposable
{
    private const string Bel = "file:bel.jsonl";

    private readonly GraphFixture _graph = new();

    public UntrustedLogTests()
    {
        _graph.WriteGraph(("raw", [_graph.WriteJob("raw")], ["raw/{day}"], null));
    }

    public void Dispose() => _graph.Dispose();

    private string LogFile => Path.Combine(_graph.Folder, "bel.jsonl");

    private void AppendByHand(params BuildEvent[] events)
    {
        var next = File.ReadAllLines(LogFile).Length + 1;
        File.AppendAllLines(LogFile, events.Select((e, i) =>
        {
            e.EventId = $"forged-{next + i}";
            e.Timestamp = 1;
            if (e.SchemaVersion == 0) e.SchemaVersion = EventSchema.CurrentVersion;
            return $"{{\"index\":{next + i},\"event\":{JsonFormatter.Default.Format(e)}}}";
        }));
    }

    [Fact]
    public void Invalid_events_are_left_out_warned_about_once_without_a_flood_and_listed_by_verify()
    {
        Assert.Equal(0, _graph.Run("build", "raw/mon", "--bel", Bel).ExitCode);
        var clean = _graph.Run("verify", "--bel", Bel);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("all valid", clean.Stdout);
        var finished = _graph.Json("status", "--bel", Bel)[0]!["buildRequestId"]!.GetValue<string>();
        var first = File.ReadAllLines(LogFile).Length + 1;

        var future = NewEvent.Partition(finished, "raw/wed", PartitionStatus.PartitionAvailable);
        future.SchemaVersion = 99;
        AppendByHand([
            NewEvent.Partition(finished, "raw/tue", PartitionStatus.PartitionAvailable),
            NewEvent.Partition(finished, "../../etc/passwd", PartitionStatus.PartitionAvailable),
            future,
            .. Enumerable.Range(0, 7).Select(i => NewEvent.Partition("no-such-request", $"raw/day{i}", PartitionStatus.PartitionAvailable)),
        ]);

        var status = _graph.Run("status", "--bel", Bel, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal(["raw/mon"], JsonNode.Parse(status.Stdout)!.AsArray().Select(s => s!["partitionRef"]!.GetValue<string>()));
        var warnings = status.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, warnings.Length);
        Assert.StartsWith($"databuild: warning: event {first} of file:", warnings[0]);
        Assert.Contains($"is already BUILD_REQUEST_COMPLETED", warnings[0]);
        Assert.Contains("7 more invalid events", warnings[3]);
        Assert.Contains("databuild verify", warnings[3]);

        var verify = _graph.Run("verify", "--bel", Bel);
        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.Contains("10 invalid", verify.Stdout);
        Assert.Contains("'..' segment", verify.Stdout);
        Assert.Contains("schema version 99", verify.Stdout);
        var json = _graph.Run("verify", "--bel", Bel, "--json");
        Assert.Equal(1, json.ExitCode);
        Assert.Equal("", json.Stderr);
        var invalid = JsonNode.Parse(json.Stdout)!["invalid"]!.AsArray();
        Assert.Equal(Enumerable.Range(first, 10).Select(i => (long)i), invalid.Select(i => i!["index"]!.GetValue<long>()));
        Assert.Equal($"forged-{first}", invalid[0]!["eventId"]!.GetValue<string>());

        // A forged AVAILABLE does not stop a build: the partition is really built.
        var build = _graph.Run("build", "raw/tue", "--bel", Bel);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.True(_graph.Built("raw/tue"));
    }

    [Fact]
    public void Logs_prints_the_run_log_named_by_its_id_never_a_path_the_log_names()
    {
        Assert.Equal(0, _graph.Run("build", "raw/mon", "--bel", Bel).ExitCode);
        var run = _graph.Json("runs", "--bel", Bel)[0]!["jobRunId"]!.GetValue<string>();
        var secret = Path.Combine(_graph.Folder, "secret.txt");
        File.WriteAllText(secret, "TOP SECRET");
        File.WriteAllText(LogFile, File.ReadAllText(LogFile).Replace(Path.Combine(_graph.Folder, ".databuild", "logs", run + ".log"), secret));
        Assert.Contains("secret.txt", File.ReadAllText(LogFile));

        var logs = _graph.Run("logs", run, "--bel", Bel);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.DoesNotContain("TOP SECRET", logs.Stdout);
        Assert.Equal(File.ReadAllText(Path.Combine(_graph.Folder, ".databuild", "logs", run + ".log")), logs.Stdout);
        Assert.DoesNotContain("secret.txt", _graph.Run("runs", "--bel", Bel, "--json").Stdout);

        // A run id that is a path: the log is not opened, and the error says why.
        File.WriteAllText(LogFile, File.ReadAllText(LogFile).Replace(run, "../../secret"));
        File.Copy(secret, Path.Combine(_graph.Folder, "secret.log"));
        var forged = _graph.Run("logs", "../../secret", "--bel", Bel);
        Assert.Equal(2, forged.ExitCode);
        Assert.Contains("job run id '../../secret' is not a well-formed id", forged.Stderr);
        Assert.DoesNotContain("TOP SECRET", forged.Stdout);
    }
}
