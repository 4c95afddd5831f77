using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>
/// The commands around Slurm runs on a real cluster (scripts/slurm.sh): <c>--executor</c> on every command that
/// builds, and each run's Slurm job id where runs are listed.
/// </summary>
public class SlurmSurfaceTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public SlurmSurfaceTests()
    {
        Assert.True(Environment.GetEnvironmentVariable("SLURM_CONF") is { Length: > 0 },
            "the Slurm tests need a cluster: eval \"$(bash scripts/slurm.sh start)\" first (scripts/test.sh does)");
        // The graph names no executor: each test's --executor is what sends a job to the cluster.
        _graph.WriteGraph(
            ("b", [_graph.WriteJob("b", execBody: """
                echo "b on slurm job ${SLURM_JOB_ID:-none}"
                      mkdir -p data/b && echo ok > "data/$ref"
                """)], ["b/{x}"], null),
            ("a", [_graph.WriteJob("a", "echo b/${ref#a/}")], ["a/{x}"], null));
    }

    public void Dispose() => _graph.Dispose();

    [Fact]
    public void Execute_with_executor_slurm_runs_every_task_of_the_job_graph_on_the_cluster()
    {
        var analyzed = _graph.Run("analyze", "--format", "json", "a/1", "a/2");
        Assert.True(analyzed.ExitCode == 0, analyzed.ToString());
        File.WriteAllText(Path.Combine(_graph.Folder, "jobgraph.json"), analyzed.Stdout);

        var result = _graph.Run("execute", "jobgraph.json", "--executor", "slurm");

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertEveryRunOnSlurm(4);
    }

    [Fact]
    public void Backfill_with_executor_slurm_runs_every_chunk_on_the_cluster()
    {
        var result = _graph.Run("backfill", "a/{1..3}", "--chunk", "2", "--executor", "slurm");

        Assert.True(result.ExitCode == 0, result.ToString());
        AssertEveryRunOnSlurm(6);
    }

    [Fact]
    public void Runs_shows_each_runs_slurm_job_id_in_text_and_json_and_the_log_agrees()
    {
        var build = _graph.Run("build", "a/1", "--executor", "slurm");
        Assert.True(build.ExitCode == 0, build.ToString());

        var runs = _graph.Json("runs").AsArray();
        var b = runs.Single(r => r!["jobLabel"]!.GetValue<string>() == "b")!;
        Assert.Equal("slurm", b["submission"]!["kind"]!.GetValue<string>());
        var jobId = b["submission"]!["externalId"]!.GetValue<string>();
        Assert.True(long.TryParse(jobId, out _), $"'{jobId}' is not a Slurm job id");
        var runId = b["jobRunId"]!.GetValue<string>();
        Assert.Contains($"b on slurm job {jobId}", _graph.Run("logs", runId).Stdout);

        var text = _graph.Run("runs");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("SUBMITTED", text.StdoutLines[0]);
        var row = text.StdoutLines.Single(l => l.StartsWith(runId, StringComparison.Ordinal));
        Assert.Contains($"slurm {jobId}", row);

        // A local run beside them has the column empty, and a graph of only local runs has none.
        var local = _graph.Run("build", "a/2", "--executor", "local");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Null(_graph.Json("runs", "--job", "b").AsArray().Last()!["submission"]);
    }

    [Fact]
    public void A_slurm_runs_log_reaches_a_postgres_log_and_is_read_from_a_machine_without_the_log_folder()
    {
        using var postgres = new PostgresDatabase();
        using var elsewhere = new GraphFixture();
        var bel = "postgres:" + postgres.NewSchema();

        var build = _graph.Run("build", "b/9", "--executor", "slurm", "--bel", bel);

        Assert.True(build.ExitCode == 0, build.ToString());
        var run = _graph.Json("runs", "--bel", bel).AsArray().Single()!;
        var runId = run["jobRunId"]!.GetValue<string>();
        var file = File.ReadAllText(Path.Combine(_graph.Folder, ".databuild", "logs", runId + ".log"));
        Assert.Contains($"b on slurm job {run["submission"]!["externalId"]!.GetValue<string>()}", file);
        // The other machine has the graph, not the log folder.
        File.Copy(Path.Combine(_graph.Folder, "graph.json"), Path.Combine(elsewhere.Folder, "graph.json"));
        Directory.CreateDirectory(Path.Combine(elsewhere.Folder, "jobs"));
        foreach (var job in Directory.GetFiles(Path.Combine(_graph.Folder, "jobs"))) File.Copy(job, Path.Combine(elsewhere.Folder, "jobs", Path.GetFileName(job)));
        var logs = elsewhere.Run("logs", runId, "--bel", bel);
        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Equal(file, logs.Stdout);
    }

    private void AssertEveryRunOnSlurm(int expected)
    {
        var runs = _graph.Json("runs").AsArray();
        Assert.Equal(expected, runs.Count);
        Assert.All(runs, r =>
        {
            Assert.Equal("JOB_COMPLETED", r!["status"]!.GetValue<string>());
            Assert.Equal("slurm", r["submission"]?["kind"]?.GetValue<string>());
        });
        Assert.Equal(expected, _graph.Runs().Distinct().Count());
    }
}
