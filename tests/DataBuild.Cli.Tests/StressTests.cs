using System.Diagnostics;

namespace DataBuild.Cli.Tests;

/// <summary>
/// The crash and concurrency guarantees, checked in a loop against real CLI processes on every backend
/// (SQLite, JSON lines, PostgreSQL): four builds of overlapping partitions started together
/// build each partition once, and a build killed with SIGKILL at a random moment leaves nothing that the next
/// build cannot recover: every partition ends available, none stays open, no event is lost.
/// </summary>
public class StressTests : IDisposable
{
    private readonly GraphFixture _graph = new();
    private PostgresDatabase? _postgres;

    public void Dispose()
    {
        _graph.Dispose();
        _postgres?.Dispose();
    }

    public static TheoryData<string> Backends() => ["sqlite", "file", "postgres"];

    // The log of one backend, empty: PostgreSQL in a database of this test's own.
    private string Log(string backend) => backend switch
    {
        "sqlite" => "sqlite:stress.sqlite",
        "file" => "file:stress.jsonl",
        _ => "postgres:" + (_postgres = new PostgresDatabase()).NewSchema(),
    };

    // A diamond per key: top/K needs left/K and right/K, both need base/K.
    private void WriteDiamond(string execBody = "")
    {
        _graph.WriteGraph(
            ("base", [_graph.WriteJob("base", execBody: string.IsNullOrEmpty(execBody) ? null : execBody)], ["base/{k}"], null),
            ("left", [_graph.WriteJob("left", "echo base/${ref#left/}")], ["left/{k}"], null),
            ("right", [_graph.WriteJob("right", "echo base/${ref#right/}")], ["right/{k}"], null),
            ("top", [_graph.WriteJob("top", "echo left/${ref#top/} right/${ref#top/}")], ["top/{k}"], null));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Four_builds_of_overlapping_partitions_started_together_build_each_partition_once(string backend)
    {
        var bel = Log(backend);
        WriteDiamond();
        string[][] requests =
        [
            ["top/1", "top/2", "top/3"],
            ["top/2", "top/3", "top/4"],
            ["top/3", "top/4", "top/1"],
            ["left/1", "right/2", "top/4", "base/5"],
        ];
        var builds = requests.Select(refs => _graph.Start(["build", "--bel", bel, .. refs])).ToArray();
        var results = builds.Select(b => GraphFixture.Collect(b, TimeSpan.FromMinutes(3))).ToArray();
        foreach (var build in builds) build.Dispose();

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        var built = _graph.Runs().Select(line => line.Split(' ')[2]).ToArray();
        Assert.Equal(built.Distinct().Order(StringComparer.Ordinal), built.Order(StringComparer.Ordinal));
        Assert.Equal(17, built.Length);
        var statuses = StatusesOf(bel);
        Assert.Equal(17, statuses.Count);
        Assert.All(statuses.Values, s => Assert.Equal("PARTITION_AVAILABLE", s));
    }

    [Theory]
    [MemberData(nameof(Backends))]
    public void Builds_killed_at_random_moments_are_always_recovered_by_the_next_build(string backend)
    {
        var bel = Log(backend);
        // base sleeps a little, so kills land before, during and after job runs.
        WriteDiamond("""
            sleep 0.$((RANDOM % 4))
                  mkdir -p "data/$(dirname "$ref")"
                  echo "built $ref" > "data/$ref.tmp.$$"
                  mv "data/$ref.tmp.$$" "data/$ref"
            """);
        var random = new Random(12345);
        const int rounds = 8;
        for (var round = 0; round < rounds; round++)
        {
            string[] refs = [$"top/{round}a", $"top/{round}b", $"top/{round}c"];
            using (var doomed = _graph.Start(["build", "--bel", bel, "--parallelism", "2", .. refs]))
            {
                Thread.Sleep(random.Next(150, 1500));
                if (!doomed.HasExited) Kill(doomed);
                doomed.WaitForExit();
            }
            // The rerun asks for two of the three: the third's partitions stay as the killed build left them,
            // so recovery itself must close them.
            var rerun = _graph.Run(["build", "--bel", bel, .. refs[..2]]);
            Assert.True(rerun.ExitCode == 0, $"round {round}: {rerun}");
            Assert.All(refs[..2], r => Assert.True(_graph.Built(r), $"round {round}: {r} was not built"));
        }

        string[] closed = ["PARTITION_AVAILABLE", "PARTITION_CANCELLED", "PARTITION_FAILED"];
        var statuses = StatusesOf(bel);
        Assert.All(statuses, s => Assert.True(closed.Contains(s.Value), $"{s.Key} was left {s.Value}"));
        Assert.All(statuses.Where(s => s.Value == "PARTITION_AVAILABLE"), s => Assert.True(_graph.Built(s.Key), $"{s.Key} is available but its data is missing"));
        var verify = _graph.Run("verify", "--bel", bel);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    private Dictionary<string, string> StatusesOf(string bel) =>
        _graph.Json("status", "--bel", bel).AsArray()
            .ToDictionary(item => item!["partitionRef"]!.GetValue<string>(), item => item!["status"]!.GetValue<string>());

    // SIGKILL to the CLI and every job it started, as a machine losing power or an OOM kill of the tree would.
    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It finished between the check and the kill: the round simply has nothing to recover.
        }
    }
}
