using Google.Protobuf;
using Proto = DataBuild.Proto;

namespace DataBuild.Job.Tests;

/// <summary>
/// Calls an example job the way the graph does (docs/job-contract.md), and reads what it writes with Core's schema
/// types rather than DataBuild.Job's, so the two example jobs are held to the contract, not to the library.
/// </summary>
internal sealed class ContractCaller(ExampleJob job, string dataDirectory)
{
    public const string MissingDepsPrefix = "DATABUILD_MISSING_DEPS_JSON: ";

    /// <summary>Runs the job with exactly these arguments and only DATA_DIR set.</summary>
    public Task<ProcessResult> RunAsync(params string[] args) =>
        job.RunAsync(args, stdin: "", new Dictionary<string, string> { ["DATA_DIR"] = dataDirectory });

    /// <summary>Runs <c>configure</c>, which must succeed, and parses its stdout.</summary>
    public async Task<Proto.JobConfigureResponse> ConfigureAsync(params string[] refs)
    {
        var result = await RunAsync(["configure", .. refs]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonParser.Default.Parse<Proto.JobConfigureResponse>(result.Stdout);
    }

    /// <summary>Runs <c>exec</c> for <paramref name="config"/>: config on stdin, its args and env, the DATABUILD_ variables.</summary>
    public Task<ProcessResult> ExecAsync(Proto.JobConfig config)
    {
        // Not the caller's DATA_DIR: the job must get it from the config's env, as a replayed config would.
        var environment = new Dictionary<string, string>(config.Env)
        {
            ["DATABUILD_JOB_RUN_ID"] = Guid.NewGuid().ToString(),
            ["DATABUILD_JOB_LABEL"] = "numbers",
            ["DATABUILD_OUTPUTS"] = string.Join(';', config.Outputs.Select(output => output.Str)),
        };
        return job.RunAsync(["exec", .. config.Args], JsonFormatter.Default.Format(config), environment);
    }

    /// <summary>The missing-deps report in <paramref name="result"/>'s stdout, which must hold exactly one.</summary>
    public static Proto.JobMissingDepsResponse MissingDeps(ProcessResult result)
    {
        var line = Assert.Single(result.StdoutLines, l => l.StartsWith(MissingDepsPrefix, StringComparison.Ordinal));
        return JsonParser.Default.Parse<Proto.JobMissingDepsResponse>(line[MissingDepsPrefix.Length..]);
    }
}
