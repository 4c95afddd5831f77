using System.Diagnostics;
using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>Job processes that misbehave (leave children behind, trap or ignore SIGTERM, print huge lines) run through the real CLI.</summary>
public sealed class JobProcessTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose()
    {
        foreach (var pidFile in Directory.GetFiles(_graph.Folder, "*.pid"))
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && IsRunning(pid))
                Process.GetProcessById(pid).Kill();
        _graph.Dispose();
    }

    private static bool IsRunning(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    private int Pid(string file) => int.Parse(File.ReadAllText(Path.Combine(_graph.Folder, file)).Trim());

    private void WriteJob(string execBody, JsonObject? extra = null, string? configureBody = null) =>
        _graph.WriteGraph(("job", [_graph.WriteJob("job", execBody: execBody, configureBody: configureBody)], ["job/{x}"], extra));

    private const string Build = """
        mkdir -p data/job && echo ok > "data/$ref"
        """;

    [Fact]
    public void A_daemon_started_by_exec_or_configure_does_not_stall_the_build()
    {
        // The daemon escapes the job's process group and keeps the job's stdout open for as long as it lives.
        const string daemon = "( setsid sleep 100000 & echo $! > daemon-$verb.pid )";
        WriteJob($"{daemon.Replace("$verb", "exec")}\n{Build}", configureBody: $"{daemon.Replace("$verb", "configure")}\n" + """
            printf '{"configs":[{"outputs":[{"str":"%s"}],"args":["%s"]}]}\n' "$1" "$1"
            """);

        using var build = _graph.Start("build", "job/1");
        var result = GraphFixture.Collect(build, TimeSpan.FromSeconds(60));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(_graph.Built("job/1"));
        Assert.True(IsRunning(Pid("daemon-exec.pid")), "the test meant a daemon that outlives its job");
    }

    [Fact]
    public void A_background_child_of_a_job_does_not_outlive_it()
    {
        WriteJob($"sleep 300 & echo $! > child.pid\n{Build}");

        var result = _graph.Run("build", "job/1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(IsRunning(Pid("child.pid")), "the job's background process outlived it");
    }

    [Fact]
    public void A_job_past_its_timeout_gets_sigterm_and_runs_its_handler()
    {
        WriteJob("trap 'echo cleaned > term.txt; exit 1' TERM\nsleep 300 & wait", new JsonObject { ["timeoutSeconds"] = 1 });

        var result = _graph.Run("build", "job/1", "--kill-grace-seconds", "30");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("timed out", result.Stdout);
        Assert.Equal("cleaned", File.ReadAllText(Path.Combine(_graph.Folder, "term.txt")).Trim());
    }

    [Fact]
    public void Ctrl_c_gives_a_job_sigterm_and_time_to_clean_up()
    {
        WriteJob("trap 'sleep 1; echo cleaned > term.txt; exit 1' TERM\ntouch started\nsleep 300 & wait");

        using var build = _graph.Start("build", "job/1");
        GraphFixture.WaitUntil(() => File.Exists(Path.Combine(_graph.Folder, "started")), "the job to start");
        Process.Start("kill", ["-INT", build.Id.ToString()])!.WaitForExit();
        var result = GraphFixture.Collect(build, TimeSpan.FromSeconds(30));

        Assert.Equal(130, result.ExitCode);
        Assert.Equal("cleaned", File.ReadAllText(Path.Combine(_graph.Folder, "term.txt")).Trim());
        Assert.Equal("JOB_CANCELLED", _graph.Json("runs").AsArray().Single()!["status"]!.GetValue<string>());
    }

    [Fact]
    public void A_job_that_ignores_sigterm_is_killed_after_the_kill_grace()
    {
        WriteJob("trap '' TERM\nsleep 300 & echo $! > child.pid\nwait", new JsonObject { ["timeoutSeconds"] = 1 });

        var watch = Stopwatch.StartNew();
        var result = _graph.Run("build", "job/1", "--kill-grace-seconds", "1");

        Assert.Equal(1, result.ExitCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
        Assert.False(IsRunning(Pid("child.pid")), "the job's child survived the kill grace");
        var log = File.ReadAllText(Directory.GetFiles(Path.Combine(_graph.Folder, ".databuild", "logs"), "*.log").Single());
        Assert.Contains("SIGKILL", log);
    }

    [Fact]
    public void A_negative_kill_grace_is_bad_usage()
    {
        WriteJob(Build);

        var result = _graph.Run("build", "job/1", "--kill-grace-seconds", "-1");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--kill-grace-seconds must be 0 or more, got -1", result.Stderr);
    }

    [Fact]
    public void A_huge_single_output_line_keeps_the_cli_small_and_reaches_the_log_whole()
    {
        // The job reads the CLI's peak memory (VmHWM) once its line is through: its parent is the CLI.
        const long size = 200_000_000;
        WriteJob($"head -c {size} /dev/zero | tr '\\0' x\necho\ngrep VmHWM /proc/$PPID/status > hwm.txt\n{Build}");

        var result = _graph.Run("build", "job/1");

        Assert.True(result.ExitCode == 0, result.ToString());
        var peakKiB = long.Parse(File.ReadAllText(Path.Combine(_graph.Folder, "hwm.txt")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.True(peakKiB < 400 * 1024, $"the CLI peaked at {peakKiB / 1024} MiB for one {size / 1_000_000} MB line");
        var log = Directory.GetFiles(Path.Combine(_graph.Folder, ".databuild", "logs"), "*.log").Single();
        Assert.True(new FileInfo(log).Length > size, "the log lost part of the line");
    }

    [Fact]
    public void A_missing_deps_line_past_its_limit_fails_the_run_naming_the_limit()
    {
        WriteJob("printf 'DATABUILD_MISSING_DEPS_JSON: {\"missingDeps\":[{\"missing\":[{\"str\":\"'\nhead -c 2000000 /dev/zero | tr '\\0' x\necho '\"}]}]}'\nexit 3");

        var result = _graph.Run("build", "job/1");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("longer than the limit of 1048576 characters", result.Stdout);
    }
}
