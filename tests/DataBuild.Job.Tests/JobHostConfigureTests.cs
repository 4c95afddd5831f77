namespace DataBuild.Job.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class JobHostConfigureTests
{
    [Fact]
    public void Configure_writes_every_field_as_one_line_of_protobuf_json()
    {
        var job = new TestJob(configure: refs =>
        [
            new RunConfig
            {
                Outputs = refs,
                Inputs = [JobInput.Query("podcasts/all"), JobInput.Materialize("reviews/date=2020-01-01")],
                Args = ["--date", "2020-01-01"],
                Env = new Dictionary<string, string> { ["MODE"] = "full" },
            },
        ]);

        var result = InProcessJobHost.Run(job, ["configure", "summaries/date=2020-01-01"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(
            """{"configs":[{"outputs":[{"str":"summaries/date=2020-01-01"}],"inputs":[{"depType":"QUERY","partitionRef":{"str":"podcasts/all"}},{"depType":"MATERIALIZE","partitionRef":{"str":"reviews/date=2020-01-01"}}],"args":["--date","2020-01-01"],"env":{"MODE":"full"}}]}""",
            Assert.Single(result.StdoutLines));
    }

    [Fact]
    public void Configure_leaves_refs_readable_in_the_json()
    {
        var job = new TestJob(configure: refs => [new RunConfig { Outputs = refs }]);

        var result = InProcessJobHost.Run(job, ["configure", "tags/name=rock+roll/lang=é"]);

        Assert.Contains("""{"str":"tags/name=rock+roll/lang=é"}""", result.Stdout);
    }

    [Fact]
    public void What_Configure_writes_to_the_console_goes_to_stderr_and_leaves_the_response_intact()
    {
        var job = new TestJob(configure: refs =>
        {
            Console.WriteLine("looking up the catalog");
            return [new RunConfig { Outputs = refs }];
        });

        var result = InProcessJobHost.Run(job, ["configure", "a"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("""{"configs":[{"outputs":[{"str":"a"}],"inputs":[],"args":[],"env":{}}]}""", Assert.Single(result.StdoutLines));
        Assert.Contains("looking up the catalog", result.Stderr);
    }

    [Fact]
    public void A_config_copying_an_unset_environment_variable_fails_with_a_sentence_naming_it_and_writes_nothing()
    {
        var job = new TestJob(configure: refs =>
            [new RunConfig { Outputs = refs, Env = new Dictionary<string, string> { ["NOT_SET_ANYWHERE"] = Environment.GetEnvironmentVariable("NOT_SET_ANYWHERE")! } }]);

        var result = InProcessJobHost.Run(job, ["configure", "totals/day=mon"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Empty(result.StdoutLines);
        Assert.Contains("Env[\"NOT_SET_ANYWHERE\"] of the config for totals/day=mon: it is null, often because the environment variable NOT_SET_ANYWHERE is not set", result.Stderr);
        Assert.DoesNotContain("Exception", result.Stderr);
    }

    [Fact]
    public void Configure_gets_each_requested_ref_once_in_the_order_given()
    {
        IReadOnlyList<string>? received = null;
        var job = new TestJob(configure: refs =>
        {
            received = refs;
            return [new RunConfig { Outputs = refs }];
        });

        InProcessJobHost.Run(job, ["configure", "b", "a", "b"]);

        Assert.Equal(["b", "a"], received);
    }

    [Fact]
    public void Configure_that_leaves_a_requested_ref_out_fails_naming_it_and_writes_nothing()
    {
        var job = new TestJob(configure: _ => [new RunConfig { Outputs = ["a"] }]);

        var result = InProcessJobHost.Run(job, ["configure", "a", "b"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'b' was requested but is in no config's outputs", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Configure_that_puts_a_ref_in_two_configs_fails_naming_both()
    {
        var job = new TestJob(configure: _ => [new RunConfig { Outputs = ["a", "b"] }, new RunConfig { Outputs = ["b"] }]);

        var result = InProcessJobHost.Run(job, ["configure", "a", "b"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'b' is an output of config 1 and of config 2", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Configure_that_returns_a_config_without_outputs_fails()
    {
        var job = new TestJob(configure: refs => [new RunConfig { Outputs = refs }, new RunConfig { Outputs = [] }]);

        var result = InProcessJobHost.Run(job, ["configure", "a"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("config 2 has no outputs", result.Stderr);
    }

    [Fact]
    public void Configure_may_add_outputs_nobody_asked_for()
    {
        var job = new TestJob(configure: _ => [new RunConfig { Outputs = ["day=1", "day=2"] }]);

        var result = InProcessJobHost.Run(job, ["configure", "day=1"]);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public void Configure_that_throws_exits_1_with_the_exception_on_stderr()
    {
        var job = new TestJob(configure: _ => throw new InvalidOperationException("the catalog is unreachable"));

        var result = InProcessJobHost.Run(job, ["configure", "a"]);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("the catalog is unreachable", result.Stderr);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public void Configure_with_an_empty_ref_is_a_usage_error()
    {
        var result = InProcessJobHost.Run(new TestJob(), ["configure", "a", ""]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("empty partition ref", result.Stderr);
    }
}
