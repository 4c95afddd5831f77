namespace DataBuild.TestSupport;

/// <summary>Drives a test server through scripts/postgres.sh, which started it and knows where it lives.</summary>
public static class PostgresServerScript
{
    /// <summary>Stops the server (fast: sessions are cut off mid-transaction) and starts it again on the same port.</summary>
    public static void Restart() => Run("restart");

    /// <summary>
    /// Runs <c>scripts/postgres.sh <paramref name="verb"/></c> on the server whose state is kept in
    /// <paramref name="stateFile"/> (the tests' shared server when null), and returns its stdout; throws with its
    /// stderr when it fails.
    /// </summary>
    public static string Run(string verb, string? stateFile = null)
    {
        var environment = stateFile is null ? null : new Dictionary<string, string?> { ["DATABUILD_PG_STATE"] = stateFile };
        var result = ProcessRun.Run("bash", Repository.Root, [Repository.Path("scripts", "postgres.sh"), verb], environment, timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"scripts/postgres.sh {verb} failed (only a server it started can be restarted): {result.Stderr}");
        return result.Stdout;
    }
}
