using System.Runtime.Versioning;
using DataBuild.Execution;
using ProcessResult = DataBuild.Execution.ProcessResult;

namespace DataBuild.Core.Tests.Execution;

/// <summary>Real bash processes that misbehave: they must not stall, outlive or bloat the run that started them.</summary>
[SupportedOSPlatform("linux")]
public sealed class ProcessRunnerTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("databuild-runner").FullName;

    public void Dispose()
    {
        foreach (var pidFile in Directory.GetFiles(_folder, "*.pid"))
            if (int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) && IsRunning(pid))
                System.Diagnostics.Process.GetProcessById(pid).Kill();
        Directory.Delete(_folder, recursive: true);
    }

    private ProcessSpec Bash(string script, TimeSpan? timeout = null, TimeSpan? killGrace = null) =>
        new(["bash", "-c", script], [], _folder, Timeout: timeout, LogPath: Path.Combine(_folder, "run.log"),
            KillGrace: killGrace, OutputGrace: TimeSpan.FromMilliseconds(500));

    private async Task<ProcessResult> RunWithin(ProcessSpec spec, CancellationToken cancellationToken = default)
    {
        var run = ProcessRunner.RunAsync(spec, cancellationToken);
        try
        {
            return await run.WaitAsync(Generous);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the run did not return within {Generous.TotalSeconds}s");
            throw;
        }
    }

    private int Pid(string name) => int.Parse(File.ReadAllText(Path.Combine(_folder, name)).Trim());

    private static bool IsRunning(int pid) => File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    [Fact]
    public async Task A_job_that_exits_leaving_a_child_on_its_stdout_returns_and_the_child_is_killed()
    {
        var result = await RunWithin(Bash("sleep 300 & echo $! > child.pid; echo done; exit 0"));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("done", result.StandardOutput);
        Assert.False(IsRunning(Pid("child.pid")), "the job's background process outlived it");
    }

    [Fact]
    public async Task A_background_process_with_its_output_elsewhere_does_not_outlive_its_job()
    {
        var result = await RunWithin(Bash("sleep 300 > /dev/null 2>&1 & echo $! > child.pid; exit 0"));

        Assert.True(result.Succeeded, result.ToString());
        Assert.False(IsRunning(Pid("child.pid")), "the job's background process outlived it");
    }

    [Fact]
    public async Task A_daemon_that_left_the_group_still_holding_stdout_does_not_stall_the_run()
    {
        var result = await RunWithin(Bash("( setsid sleep 100000 & echo $! > daemon.pid ); echo started; exit 0"));

        Assert.True(result.Succeeded, result.ToString());
        Assert.Contains("started", result.StandardOutput);
        Assert.Contains("output stayed open", File.ReadAllText(Path.Combine(_folder, "run.log")));
    }

    [Fact]
    public async Task A_timeout_kills_grandchildren_that_hold_stdout()
    {
        var result = await RunWithin(Bash("bash -c 'sleep 300 & echo $! > grandchild.pid; wait' & sleep 300", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        Assert.False(IsRunning(Pid("grandchild.pid")), "a grandchild outlived the timeout");
    }

    [Fact]
    public async Task A_timeout_sends_sigterm_first_so_the_job_can_clean_up()
    {
        var result = await RunWithin(Bash("trap 'echo cleaned > term.txt; exit 1' TERM; sleep 300 & wait", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(20)));

        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        Assert.Equal("cleaned", File.ReadAllText(Path.Combine(_folder, "term.txt")).Trim());
        Assert.True(result.Duration < TimeSpan.FromSeconds(15), $"took {result.Duration}: the handler ran but the runner waited out the grace");
    }

    [Fact]
    public async Task Cancellation_sends_sigterm_first_too()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var result = await RunWithin(Bash("trap 'echo cleaned > term.txt; exit 1' TERM; sleep 300 & wait", killGrace: TimeSpan.FromSeconds(20)), cancel.Token);

        Assert.Equal(ProcessOutcome.Cancelled, result.Outcome);
        Assert.Equal("cleaned", File.ReadAllText(Path.Combine(_folder, "term.txt")).Trim());
    }

    [Fact]
    public async Task A_job_that_ignores_sigterm_is_killed_after_the_grace()
    {
        var result = await RunWithin(Bash("trap '' TERM; sleep 300 & echo $! > child.pid; wait; wait", TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));

        Assert.Equal(ProcessOutcome.TimedOut, result.Outcome);
        Assert.False(IsRunning(Pid("child.pid")), "the job's child survived SIGKILL");
        var log = File.ReadAllText(Path.Combine(_folder, "run.log"));
        Assert.Contains("SIGTERM", log);
        Assert.Contains("SIGKILL", log);
    }

    [Fact]
    public async Task A_huge_single_line_is_kept_whole_in_the_log_and_only_as_a_tail_in_memory()
    {
        const int size = 50_000_000;
        var spec = Bash($"head -c {size} /dev/zero | tr '\\0' x; echo; echo 'error line' >&2") with { CaptureLimit = 1000 };

        var result = await RunWithin(spec);

        Assert.True(result.Succeeded, result.ToString());
        Assert.InRange(result.StandardOutput.Length, 1, 1000);
        Assert.EndsWith("xxx\n", result.StandardOutput);
        Assert.Equal(size + 1 + "[stderr] error line\n".Length, new FileInfo(Path.Combine(_folder, "run.log")).Length);
    }

    [Fact]
    public async Task A_huge_marker_line_is_cut_just_past_the_marker_limit()
    {
        var spec = Bash("printf 'MARK: '; head -c 5000000 /dev/zero | tr '\\0' x; echo; echo 'MARK: small'") with { MarkerPrefix = "MARK:", MarkerLimit = 1000 };

        var result = await RunWithin(spec);

        Assert.True(result.Succeeded, result.ToString());
        Assert.Equal(1001, result.MarkedLines.Sum(l => l.Length));
        Assert.StartsWith("MARK: xxx", result.MarkedLines[0]);
    }

    [Fact]
    public async Task Marker_lines_are_found_across_blocks_and_only_at_line_starts()
    {
        var spec = Bash("head -c 65534 /dev/zero | tr '\\0' y; echo; echo 'MARK: one'; echo 'x MARK: not'; printf 'MA'; sleep 0.2; echo 'RK: two'") with { MarkerPrefix = "MARK:" };

        var result = await RunWithin(spec);

        Assert.Equal(["MARK: one", "MARK: two"], result.MarkedLines);
    }

    [Fact]
    public async Task Stdout_past_its_limit_stops_the_process()
    {
        var spec = Bash("yes 0123456789") with { StandardOutputLimit = 100_000 };

        var result = await RunWithin(spec);

        Assert.Equal(ProcessOutcome.OutputLimitExceeded, result.Outcome);
    }

    [Fact]
    public async Task A_missing_or_not_executable_program_fails_to_start_with_a_reason()
    {
        var script = Path.Combine(_folder, "job.sh");
        File.WriteAllText(script, "#!/bin/sh\n");

        var missing = await RunWithin(Bash("") with { Command = [Path.Combine(_folder, "nope.sh")] });
        var notExecutable = await RunWithin(Bash("") with { Command = [script] });

        Assert.Equal(ProcessOutcome.FailedToStart, missing.Outcome);
        Assert.EndsWith("nope.sh': no such file", missing.StandardError);
        Assert.Equal(ProcessOutcome.FailedToStart, notExecutable.Outcome);
        Assert.EndsWith("job.sh': the file is not executable", notExecutable.StandardError);
    }

    [Fact]
    public async Task Stdin_output_and_exit_code_pass_through()
    {
        var spec = Bash("read line; echo \"got $line\"; echo oops >&2; exit 4") with { StandardInput = "hello\n" };

        var result = await RunWithin(spec);

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.Equal(4, result.ExitCode);
        Assert.Equal("got hello\n", result.StandardOutput);
        Assert.Equal("oops\n", result.StandardError);
        // The two streams are read side by side, so their lines may come in either order.
        Assert.Equal(["[stderr] oops", "got hello"], File.ReadAllLines(Path.Combine(_folder, "run.log")).Order());
    }

    [Fact]
    public async Task A_job_leads_its_own_process_group_with_no_signal_ignored_or_blocked()
    {
        // Fields 1 and 5 of /proc/<pid>/stat are the pid and its process group.
        var result = await RunWithin(Bash("read -r -a stat < /proc/$$/stat; echo \"${stat[0]} ${stat[4]}\"; grep -E '^Sig(Ign|Blk)' /proc/$$/status"));

        Assert.True(result.Succeeded, result.ToString());
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var ids = lines[0].Split(' ');
        Assert.Equal(ids[0], ids[1]);
        // .NET itself ignores SIGPIPE; a job that inherited that would write on into a closed pipe. Signals 32
        // and 33 (bits 31 and 32) are glibc's own, which posix_spawn leaves ignored and glibc programs take back.
        var masks = lines.Skip(1).Select(l => l.Split('\t')).ToDictionary(f => f[0], f => Convert.ToUInt64(f[1], 16));
        Assert.Equal(0UL, masks["SigBlk:"]);
        Assert.Equal(0UL, masks["SigIgn:"] & ~(3UL << 31));
    }

    [Fact]
    public async Task Environment_and_working_folder_reach_the_job_and_a_signal_death_is_128_plus_it()
    {
        Environment.SetEnvironmentVariable("DATABUILD_RUNNER_TEST_INHERITED", "from the parent");
        var spec = Bash("echo \"$PWD|$DATABUILD_RUNNER_TEST_INHERITED|$JOB_VALUE\"; kill -9 $$") with
        {
            Environment = new Dictionary<string, string> { ["JOB_VALUE"] = "from the spec" },
        };

        var result = await RunWithin(spec);

        Assert.Equal(ProcessOutcome.Exited, result.Outcome);
        Assert.Equal(128 + 9, result.ExitCode);
        Assert.Equal($"{new DirectoryInfo(_folder).FullName}|from the parent|from the spec\n", result.StandardOutput);
    }
}
