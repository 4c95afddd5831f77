using System.Diagnostics;

namespace DataBuild.Core.Tests.Storage;

/// <summary>Drives a test server through scripts/postgres.sh, which started it and knows where it lives.</summary>
internal static class PostgresServerScript
{
    /// <summary>Stops the server (fast: sessions are cut off mid-transaction) and starts it again on the same port.</summary>
    public static void Restart() => Run("restart");

    /// <summary>
    /// Runs <c>scripts/postgres.sh <paramref name="verb"/></c> on the server whose state is kept in
    /// <paramref name="stateFile"/> (the tests' shared server when null), asserting it succeeds; returns its stdout.
    /// </summary>
    public static string Run(string verb, string? stateFile = null)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "postgres.sh"));
        info.ArgumentList.Add(verb);
        if (stateFile is not null) info.Environment["DATABUILD_PG_STATE"] = stateFile;
        using var process = Process.Start(info)!;
        var errors = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), $"scripts/postgres.sh {verb} did not finish");
        Assert.True(process.ExitCode == 0, $"scripts/postgres.sh {verb} failed (only a server it started can be restarted): {errors.Result}");
        return output;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "scripts", "postgres.sh"))) return folder.FullName;
        }
        throw new InvalidOperationException($"no scripts/postgres.sh above {AppContext.BaseDirectory}");
    }
}
