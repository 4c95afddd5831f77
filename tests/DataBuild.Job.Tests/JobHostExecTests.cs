using System.Diagnostics;

namespace DataBuild.Job.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class JobHostExecTests
{
    private const string Config = """
        {"outputs":[{"str":"out/a"},{"str":"out/b"}],
         "inputs":[{"depType":"MATERIALIZE","partitionRef":{"str":"in/m"}},{"partitionRef":{"str":"in/q"}}],
         "args":["--from-config"],"env":{"MODE":"full"}}
        """;

    [Fact]
    public void Exec_gives_the_job_the_config_from_stdin_its_args_and_its_identity()
    {
        JobRun? received = null;
        var job = new TestJob(execute: (run, _) =>
        {
            received = run;
            return Task.CompletedTask;
        });

        var result = InProcessJobHost.Run(job, ["exec", "--day", "1"], Config, jobRunId: "5f0c", jobLabel: "extract");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.NotNull(received);
        Assert.Equal("5f0c", received.JobRunId);
        Assert.Equal("extract", received.JobLabel);
        Assert.Equal(["out/a", "out/b"], received.Outputs);
        Assert.Equal([JobInput.Materialize("in/m"), JobInput.Query("in/q")], received.Inputs);
        Assert.Equal(["--day", "1"], received.Args);
        Assert.Equal("full", Assert.Single(received.Env, pair => pair.Key == "MODE").Value);
    }

    [Fact]
    public void Exec_accepts_a_config_with_fields_from_a_newer_schema()
    {
        var job = new TestJob(execute: (_, _) => Task.CompletedTask);

        var result = InProcessJobHost.Run(job, ["exec"], """{"outputs":[{"str":"a"}],"priority":7}""");

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Exec_that_reports_missing_dependencies_prints_exactly_one_line_and_exits_3()
    {
        var job = new TestJob(execute: (run, _) => throw new MissingDependenciesException(impacted: run.Outputs, missing: ["in/m", "in/n"]));

        var result = InProcessJobHost.Run(job, ["exec"], Config);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(
            """DATABUILD_MISSING_DEPS_JSON: {"missingDeps":[{"impacted":[{"str":"out/a"},{"str":"out/b"}],"missing":[{"str":"in/m"},{"str":"in/n"}]}]}""" + "\n",
            result.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Exec_that_throws_exits_1_with_the_message_on_stderr()
    {
        var job = new TestJob(execute: (_, _) => throw new IOException("disk full"));

        var result = InProcessJobHost.Run(job, ["exec"], Config);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("disk full", result.Stderr);
        Assert.DoesNotContain("DATABUILD_MISSING_DEPS_JSON", result.Stdout);
    }

    [Theory]
    [InlineData(null, "test_job", "DATABUILD_JOB_RUN_ID")]
    [InlineData("run-1", null, "DATABUILD_JOB_LABEL")]
    public void Exec_without_the_variables_the_graph_sets_exits_2_naming_the_missing_one(string? jobRunId, string? jobLabel, string missing)
    {
        var result = InProcessJobHost.Run(new TestJob(), ["exec"], Config, jobRunId, jobLabel);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(missing, result.Stderr);
    }

    [Theory]
    [InlineData("", "stdin was empty")]
    [InlineData("outputs: a", "not a JobConfig")]
    [InlineData("""{"outputs":[]}""", "no outputs")]
    [InlineData("""{"outputs":[{"str":""}]}""", "empty partition ref")]
    public void Exec_with_a_bad_config_on_stdin_exits_2_without_running_the_job(string stdin, string problem)
    {
        var result = InProcessJobHost.Run(new TestJob(), ["exec"], stdin);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(problem, result.Stderr);
    }

    [Fact]
    public async Task Ctrl_C_cancels_the_token_and_the_run_exits_1()
    {
        var started = new TaskCompletionSource();
        var job = new TestJob(execute: async (_, cancellationToken) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        });
        var run = Task.Run(() => InProcessJobHost.Run(job, ["exec"], Config));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        // bash's kill builtin, so the test needs no procps; bash is needed for the bash example job anyway.
        using (var kill = Process.Start("bash", ["-c", $"kill -INT {Environment.ProcessId}"])) await kill.WaitForExitAsync();
        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("cancelled", result.Stderr);
    }
}
