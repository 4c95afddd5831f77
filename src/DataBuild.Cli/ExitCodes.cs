namespace DataBuild.Cli;

/// <summary>The exit codes scripts rely on (docs/cli.md).</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int BuildFailed = 1;
    public const int BadInput = 2;

    /// <summary>The Build Event Log could not be written (a full disk, a server gone): the build stopped its jobs and said what failed.</summary>
    public const int LogWriteFailed = 3;

    /// <summary><c>databuild verify</c>: the log holds events that are not a valid next state.</summary>
    public const int InvalidLog = 1;

    /// <summary>Interrupted by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it); a build records what it cancelled.</summary>
    public const int Interrupted = 130;
}
