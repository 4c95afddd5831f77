namespace DataBuild.Job;

/// <summary>
/// Runs an <see cref="IDataBuildJob"/> as a job executable, honouring the job contract
/// (docs/job-contract.md): <c>return JobHost.Run(args, new MyJob());</c>
/// </summary>
public static class JobHost
{
    /// <summary>
    /// Runs the verb in <paramref name="args"/> and returns the process exit code: 0 success, 1 failure,
    /// 2 bad usage or input, 3 missing dependencies.
    /// </summary>
    public static int Run(string[] args, IDataBuildJob job)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(job);
        using var signals = new ShutdownSignals();
        try
        {
            return args switch
            {
                ["--help" or "-h"] => PrintUsage(),
                ["configure", .. var refs] => ConfigureVerb.Run(job, refs),
                ["exec", .. var execArgs] => ExecVerb.RunAsync(job, execArgs, signals.Token).GetAwaiter().GetResult(),
                ["exists", .. var refs] => ExistsVerb.Run(job, refs),
                [] => throw JobHostException.BadUsage("no verb given"),
                [var verb, ..] => throw JobHostException.BadUsage($"unknown verb '{verb}'"),
            };
        }
        catch (JobHostException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            if (e.ShowUsage) Console.Error.Write(Usage);
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (signals.Token.IsCancellationRequested)
        {
            Console.Error.WriteLine("error: cancelled");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            // The whole exception, stack included: stderr is the job run's log, read when a run fails.
            Console.Error.WriteLine($"error: {e}");
            return ExitCodes.Failure;
        }
    }

    private static int PrintUsage()
    {
        Console.Out.Write(Usage);
        return ExitCodes.Success;
    }

    private static string Usage => $"""
        usage: {AppDomain.CurrentDomain.FriendlyName} configure <ref> [<ref> ...]
                 Writes the run configs that build the refs, as JobConfigureResponse JSON, to stdout.
               {AppDomain.CurrentDomain.FriendlyName} exists <ref> [<ref> ...]
                 Prints, one per line, those of the refs whose data is there.
               {AppDomain.CurrentDomain.FriendlyName} exec [<arg> ...]
                 Builds the outputs of the JobConfig read as JSON from stdin. Needs DATABUILD_JOB_RUN_ID
                 and DATABUILD_JOB_LABEL in the environment.
        exit codes: 0 success, 1 failure, 2 bad usage or input, 3 missing dependencies
          (reported on stdout as one line: DATABUILD_MISSING_DEPS_JSON: <JobMissingDepsResponse JSON>)

        """;
}
