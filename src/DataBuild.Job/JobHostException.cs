namespace DataBuild.Job;

/// <summary>A failure the host explains in one message (bad usage, a broken contract): no stack trace needed.</summary>
internal sealed class JobHostException : Exception
{
    private JobHostException(int exitCode, bool showUsage, string message) : base(message)
    {
        ExitCode = exitCode;
        ShowUsage = showUsage;
    }

    public int ExitCode { get; }

    public bool ShowUsage { get; }

    /// <summary>The command line is wrong: the usage text follows the message.</summary>
    public static JobHostException BadUsage(string message) => new(ExitCodes.Usage, showUsage: true, message);

    /// <summary>The environment or stdin the caller gave is wrong.</summary>
    public static JobHostException BadInput(string message) => new(ExitCodes.Usage, showUsage: false, message);

    /// <summary>The job broke the contract.</summary>
    public static JobHostException Failure(string message) => new(ExitCodes.Failure, showUsage: false, message);
}
