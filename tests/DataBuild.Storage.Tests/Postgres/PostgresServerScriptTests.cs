using System.Diagnostics;
using Npgsql;

namespace DataBuild.Storage.Tests;

/// <summary>scripts/postgres.sh on a server of its own, so the shared test server is never touched.</summary>
public sealed class PostgresServerScriptTests : IDisposable
{
    private readonly string _state = Path.Combine(Path.GetTempPath(), $"databuild-pg-script-{Guid.NewGuid():N}.state");

    public void Dispose()
    {
        if (File.Exists(_state)) PostgresServerScript.Run("stop", _state);
    }

    [Fact]
    public void Restart_starts_a_killed_server_again_with_its_data()
    {
        var export = PostgresServerScript.Run("start", _state).Trim();
        var connectionString = export[(export.IndexOf('\'') + 1)..export.LastIndexOf('\'')];
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
        Execute(connectionString, "CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)");
        // A session is open when the server dies, as in the tests that kill it under load.
        using var open = new NpgsqlConnection(connectionString);
        open.Open();

        var dataFolder = Path.Combine(File.ReadLines(_state).First(), "data");
        var postmaster = int.Parse(File.ReadLines(Path.Combine(dataFolder, "postmaster.pid")).First());
        Process.GetProcessById(postmaster).Kill();
        Assert.True(WaitUntilGone(postmaster), "the killed server did not exit");

        PostgresServerScript.Run("restart", _state);
        Assert.Equal(42, Execute(connectionString, "SELECT n FROM kept"));
        // And again, now that it runs: the ordinary stop and start.
        PostgresServerScript.Run("restart", _state);
        Assert.Equal(42, Execute(connectionString, "SELECT n FROM kept"));
    }

    private static bool WaitUntilGone(int pid)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            // A zombie nobody has reaped yet counts as gone: it runs nothing.
            var stat = $"/proc/{pid}/stat";
            if (!File.Exists(stat) || File.ReadAllText(stat).Split(") ")[^1].StartsWith('Z')) return true;
            Thread.Sleep(50);
        }
        return false;
    }

    private static object? Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }
}
