using System.Diagnostics;
using System.Text.Json.Nodes;

namespace DataBuild.Cli.Tests;

/// <summary>A configure that hangs, floods stdout or returns an oversized config fails the build with a message naming the job and the limit.</summary>
public sealed class ConfigureLimitsTests : IDisposable
{
    private readonly GraphFixture _graph = new();

    public void Dispose() => _graph.Dispose();

    private ProcessResult Build(string configureBody, JsonObject? extra = null)
    {
        _graph.WriteGraph(("planner", [_graph.WriteJob("planner", configureBody: configureBody)], ["plan/{x}"], extra));
        using var build = _graph.Start("build", "plan/1");
        return GraphFixture.Collect(build, TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void A_hung_configure_is_stopped_after_the_jobs_configure_timeout()
    {
        var watch = Stopwatch.StartNew();
        var result = Build("sleep 300", new JsonObject { ["configureTimeoutSeconds"] = 1 });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("configure of job planner failed for plan/1: timed out after 1s", result.Stderr);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(50), $"took {watch.Elapsed}");
        Assert.Equal("PARTITION_FAILED", _graph.Statuses()["plan/1"]);
    }

    [Fact]
    public void A_configure_that_floods_stdout_is_stopped_at_the_output_limit()
    {
        var result = Build("yes 0123456789abcdef");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("configure of job planner failed", result.Stderr);
        Assert.Contains("more than the limit of 33554432 characters (32 MiB) on stdout", result.Stderr);
    }

    [Fact]
    public void A_config_over_the_size_limit_fails_at_configure_naming_the_job_and_the_limit()
    {
        var result = Build("""
            big=$(head -c 2000000 /dev/zero | tr '\0' x)
                  printf '{"configs":[{"outputs":[{"str":"%s"}],"env":{"BIG":"%s"}}]}\n' "$1" "$big"
            """);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("job planner: configure returned config #1 of 20000", result.Stderr);
        Assert.Contains("over the limit of 1048576 characters (1 MiB) for one config", result.Stderr);
        Assert.Empty(_graph.Runs());
    }

    [Fact]
    public void A_config_argument_too_long_for_the_os_fails_at_configure()
    {
        var result = Build("""
            big=$(head -c 200000 /dev/zero | tr '\0' x)
                  printf '{"configs":[{"outputs":[{"str":"%s"}],"args":["%s"]}]}\n' "$1" "$big"
            """);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("config #1 has argument #1 of 200000 bytes, over the limit of 131071 bytes", result.Stderr);
        Assert.Empty(_graph.Runs());
    }

    [Fact]
    public void A_configure_timeout_below_one_second_is_a_manifest_error()
    {
        var result = Build("true", new JsonObject { ["configureTimeoutSeconds"] = 0 });

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("configureTimeoutSeconds must be at least 1", result.Stderr);
    }
}
