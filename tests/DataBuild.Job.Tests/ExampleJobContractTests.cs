using Proto = DataBuild.Proto;

namespace DataBuild.Job.Tests;

/// <summary>Both example jobs, run as processes, honour the job contract in the same way.</summary>
public sealed class ExampleJobContractTests : IDisposable
{
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("databuild-job-tests-").FullName;

    public void Dispose() => Directory.Delete(_dataDirectory, recursive: true);

    [Theory, EachExampleJob]
    public async Task Configure_puts_every_requested_ref_in_exactly_one_config(string job)
    {
        var response = await Caller(job).ConfigureAsync("numbers/n=5", "numbers/n=0", "numbers/n=7", "numbers/n=5");

        var outputs = response.Configs.SelectMany(config => config.Outputs).Select(output => output.Str).ToList();
        Assert.Equal(["numbers/n=0", "numbers/n=5", "numbers/n=7"], outputs.Order());
    }

    [Theory, EachExampleJob]
    public async Task Configure_batches_a_wave_into_one_config_whose_inputs_are_only_outside_upstreams(string job)
    {
        var response = await Caller(job).ConfigureAsync("numbers/n=3", "numbers/n=2", "numbers/n=7");

        var config = Assert.Single(response.Configs);
        Assert.Equal(["numbers/n=2", "numbers/n=3", "numbers/n=7"], config.Outputs.Select(output => output.Str));
        Assert.Equal(["numbers/n=1", "numbers/n=6"], config.Inputs.Select(input => input.PartitionRef.Str));
        Assert.All(config.Inputs, input => Assert.Equal(Proto.DepType.Materialize, input.DepType));
        Assert.Equal(_dataDirectory, config.Env["DATA_DIR"]);
    }

    [Theory, EachExampleJob]
    public async Task Configure_of_a_ref_the_job_does_not_own_fails_naming_it(string job)
    {
        var result = await Caller(job).RunAsync("configure", "numbers/n=1", "reviews/date=2020-01-01");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("reviews/date=2020-01-01", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Theory, EachExampleJob]
    public async Task Exec_builds_every_output_of_a_batch_from_its_upstream(string job)
    {
        var caller = Caller(job);
        await ExecSucceedsAsync(caller, "numbers/n=0");

        await ExecSucceedsAsync(caller, "numbers/n=1", "numbers/n=2", "numbers/n=3");

        Assert.Equal(["n=0", "n=1", "n=2", "n=3"], FilesIn("numbers"));
        Assert.Equal("3", await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "numbers", "n=3")));
    }

    [Theory, EachExampleJob]
    public async Task Exec_run_again_replaces_its_outputs_with_the_same_content(string job)
    {
        var caller = Caller(job);
        await ExecSucceedsAsync(caller, "numbers/n=0", "numbers/n=1");
        await File.WriteAllTextAsync(Path.Combine(_dataDirectory, "numbers", "n=1"), "stale content, much longer than one digit");

        await ExecSucceedsAsync(caller, "numbers/n=0", "numbers/n=1");

        Assert.Equal(["n=0", "n=1"], FilesIn("numbers"));
        Assert.Equal("1", await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "numbers", "n=1")));
    }

    [Theory, EachExampleJob]
    public async Task Exec_with_an_absent_input_prints_one_missing_deps_line_and_exits_3(string job)
    {
        var caller = Caller(job);
        var config = Assert.Single((await caller.ConfigureAsync("numbers/n=2", "numbers/n=3")).Configs);

        var result = await caller.ExecAsync(config);

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains(
            """DATABUILD_MISSING_DEPS_JSON: {"missingDeps":[{"impacted":[{"str":"numbers/n=2"},{"str":"numbers/n=3"}],"missing":[{"str":"numbers/n=1"}]}]}""",
            result.StdoutLines);
        var report = Assert.Single(ContractCaller.MissingDeps(result).MissingDeps);
        Assert.Equal(["numbers/n=1"], report.Missing.Select(missing => missing.Str));
        Assert.Empty(FilesIn("numbers"));
    }

    [Theory, EachExampleJob]
    public async Task A_caller_that_builds_what_is_reported_missing_and_runs_again_gets_the_output(string job)
    {
        var caller = Caller(job);

        await BuildAsync(caller, "numbers/n=3");

        Assert.Equal(["n=0", "n=1", "n=2", "n=3"], FilesIn("numbers"));
        Assert.Equal("3", await File.ReadAllTextAsync(Path.Combine(_dataDirectory, "numbers", "n=3")));
    }

    [Theory, EachExampleJob]
    public async Task Exec_that_fails_exits_1_with_the_reason_on_stderr_and_leaves_no_output(string job)
    {
        var caller = Caller(job);
        Directory.CreateDirectory(Path.Combine(_dataDirectory, "numbers"));
        await File.WriteAllTextAsync(Path.Combine(_dataDirectory, "numbers", "n=0"), "zero");
        var config = Assert.Single((await caller.ConfigureAsync("numbers/n=1")).Configs);

        var result = await caller.ExecAsync(config);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("'zero'", result.Stderr);
        Assert.DoesNotContain(result.StdoutLines, line => line.StartsWith(ContractCaller.MissingDepsPrefix, StringComparison.Ordinal));
        Assert.Equal(["n=0"], FilesIn("numbers"));
    }

    [Theory, EachExampleJob]
    public async Task A_bad_command_line_exits_2_with_the_usage_on_stderr(string job)
    {
        var caller = Caller(job);
        string[][] badCommandLines = [[], ["build", "numbers/n=1"], ["configure"]];
        foreach (var args in badCommandLines)
        {
            var result = await caller.RunAsync(args);

            Assert.True(result.ExitCode == 2, $"{string.Join(' ', args)}: {result}");
            Assert.Contains("usage:", result.Stderr);
            Assert.Empty(result.Stdout);
        }
    }

    [Theory, EachExampleJob]
    public async Task Help_prints_the_usage_on_stdout_and_exits_0(string job)
    {
        var result = await Caller(job).RunAsync("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("configure <ref>", result.Stdout);
        Assert.Contains("exec", result.Stdout);
    }

    private ContractCaller Caller(string job) => new(ExampleJob.Named(job), _dataDirectory);

    private static async Task ExecSucceedsAsync(ContractCaller caller, params string[] refs)
    {
        foreach (var config in (await caller.ConfigureAsync(refs)).Configs)
        {
            var result = await caller.ExecAsync(config);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }

    // What a graph does at run time, minus the event log: run the job, build whatever it reports missing, run it again.
    private static async Task BuildAsync(ContractCaller caller, string partitionRef)
    {
        var config = Assert.Single((await caller.ConfigureAsync(partitionRef)).Configs);
        var result = await caller.ExecAsync(config);
        if (result.ExitCode == 0) return;
        Assert.True(result.ExitCode == 3, result.ToString());
        foreach (var missing in ContractCaller.MissingDeps(result).MissingDeps.SelectMany(report => report.Missing))
            await BuildAsync(caller, missing.Str);
        result = await caller.ExecAsync(config);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    // Every file, hidden ones included, so a leftover temporary file fails the test.
    private IReadOnlyList<string> FilesIn(string folder)
    {
        var path = Path.Combine(_dataDirectory, folder);
        return Directory.Exists(path) ? Directory.GetFiles(path).Select(file => Path.GetFileName(file)).Order().ToList() : [];
    }
}
