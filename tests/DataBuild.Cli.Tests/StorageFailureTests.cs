using System.Diagnostics;

namespace DataBuild.Cli.Tests;

/// <summary>
/// The log's disk fills up in the middle of a build: a real SQLite log on a small tmpfs (mounted for the
/// test, so it needs root, as the test machines run), filled by one of the build's own jobs.
/// </summary>
public sealed class StorageFailureTests : IDisposable
{
    private readonly GraphFixture _graph = new();
    private readonly string _disk;

    public StorageFailureTests()
    {
        _disk = Path.Combine(_graph.Folder, "disk");
        Directory.CreateDirectory(_disk);
        Assert.True(Command("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", _disk) == 0, "could not mount a tmpfs: this test needs root");
    }

    public void Dispose()
    {
        Command("umount", "-l", _disk);
        _graph.Dispose();
    }

    [Fact]
    public void A_build_whose_log_disk_fills_stops_its_jobs_says_so_in_one_line_and_exits_3()
    {
        var fill = $$"""
            until ls slow-*.pid >/dev/null 2>&1; do sleep 0.05; done
                  mkdir -p data/fill && echo ok > "data/$ref"
                  [ -f filled ] || { touch filled; dd if=/dev/zero of="{{_disk}}/filler" bs=64k 2>/dev/null || true; }
            """;
        const string slow = """
            echo $$ > "slow-$DATABUILD_JOB_RUN_ID.pid"
                  [ -f slept ] || { touch slept; sleep 60; }
                  mkdir -p data/slow && echo ok > "data/$ref"
            """;
        _graph.WriteGraph(
            ("fill", [_graph.WriteJob("fill", execBody: fill)], ["fill/{x}"], null),
            ("slow", [_graph.WriteJob("slow", execBody: slow)], ["slow/{x}"], null));
        var bel = $"sqlite:{_disk}/bel.sqlite";

        var result = GraphFixture.Collect(_graph.Start("build", "fill/1", "slow/1", "--parallelism", "2", "--bel", bel), TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 3, result.ToString());
        // The build created the log first, and said so; what failed is the one line after that.
        var error = string.Join('\n', result.Stderr.Trim().Split('\n').Where(line => !line.StartsWith("databuild: created a new event log")));
        Assert.StartsWith($"databuild: the BEL {bel}", error);
        Assert.Contains("could not be written", error);
        Assert.DoesNotContain("\n", error);
        Assert.DoesNotContain("Exception", error);
        var slowPid = int.Parse(File.ReadAllText(Assert.Single(Directory.GetFiles(_graph.Folder, "slow-*.pid"))).Trim());
        Assert.False(Directory.Exists($"/proc/{slowPid}"), "the slow job outlived the build");

        // With room again, the next build closes what the failed one left open and builds everything.
        File.Delete(Path.Combine(_disk, "filler"));
        var next = _graph.Run("build", "fill/1", "slow/1", "--bel", bel);
        Assert.True(next.ExitCode == 0, next.ToString());
        var statuses = _graph.Run("status", "--bel", bel, "--json");
        Assert.True(statuses.ExitCode == 0, statuses.ToString());
        Assert.DoesNotContain("PARTITION_BUILDING", statuses.Stdout);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(statuses.Stdout, "PARTITION_AVAILABLE"));
    }

    private static int Command(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        process.WaitForExit();
        return process.ExitCode;
    }
}
