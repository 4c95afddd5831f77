namespace DataBuild.Job;

/// <summary>How a job executable built with <see cref="JobHost"/> exits (docs/job-contract.md).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;

    // Any non-zero code with the missing-deps line means "missing"; a distinct one makes logs easy to read.
    public const int MissingDependencies = 3;
}
