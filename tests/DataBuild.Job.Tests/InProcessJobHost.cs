namespace DataBuild.Job.Tests;

/// <summary>
/// Runs <see cref="JobHost.Run"/> inside the test process with its console and DATABUILD_ variables
/// replaced. Both are process-wide, so every test class using this joins <see cref="ConsoleCollection"/>.
/// </summary>
internal static class InProcessJobHost
{
    public static ProcessResult Run(IDataBuildJob job, string[] args, string stdin = "", string? jobRunId = "run-1", string? jobLabel = "test_job")
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldIn, oldOut, oldError) = (Console.In, Console.Out, Console.Error);
        Console.SetIn(new StringReader(stdin));
        Console.SetOut(stdout);
        Console.SetError(stderr);
        Environment.SetEnvironmentVariable("DATABUILD_JOB_RUN_ID", jobRunId);
        Environment.SetEnvironmentVariable("DATABUILD_JOB_LABEL", jobLabel);
        try
        {
            var exitCode = JobHost.Run(args, job);
            return new ProcessResult(exitCode, stdout.ToString(), stderr.ToString(), $"{stdout}{stderr}", $"in-process job {string.Join(' ', args)}");
        }
        finally
        {
            Console.SetIn(oldIn);
            Console.SetOut(oldOut);
            Console.SetError(oldError);
            Environment.SetEnvironmentVariable("DATABUILD_JOB_RUN_ID", null);
            Environment.SetEnvironmentVariable("DATABUILD_JOB_LABEL", null);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCollection
{
    public const string Name = "console";
}

/// <summary>A job whose verbs are whatever a test needs.</summary>
internal sealed class TestJob(
    Func<IReadOnlyList<string>, IEnumerable<RunConfig>>? configure = null,
    Func<JobRun, CancellationToken, Task>? execute = null) : IDataBuildJob
{
    public IEnumerable<RunConfig> Configure(IReadOnlyList<string> refs) =>
        (configure ?? throw new InvalidOperationException("this test job has no configure"))(refs);

    public Task ExecuteAsync(JobRun run, CancellationToken cancellationToken) =>
        (execute ?? throw new InvalidOperationException("this test job has no exec"))(run, cancellationToken);
}
