namespace DataBuild.TestSupport;

/// <summary>Drives the test server through scripts/postgres.sh, which started it and knows where it lives.</summary>
public static class PostgresServerScript
{
    /// <summary>Stops the server (fast: sessions are cut off mid-transaction) and starts it again on the same port.</summary>
    public static void Restart()
    {
        var result = ProcessRun.Run("bash", Repository.Root, [Repository.Path("scripts", "postgres.sh"), "restart"], timeout: TimeSpan.FromMinutes(2));
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"scripts/postgres.sh restart failed (only a server it started can be restarted): {result.Stderr}");
    }
}
