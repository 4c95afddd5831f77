using DataBuild.TestSupport;

namespace DataBuild.Service.Tests;

/// <summary>
/// The service's log route on a PostgreSQL log (docs/service.md): a run whose log file is not on the service's machine
/// is read from the copy the log keeps, the same text at the same offsets.
/// </summary>
public class RunLogsFromPostgresTests : IDisposable
{
    private readonly PostgresDatabase _postgres = new();
    private readonly ServiceGraph _graph = new();

    public void Dispose()
    {
        _graph.Dispose();
        _postgres.Dispose();
    }

    [Fact]
    public async Task The_log_route_reads_a_run_from_the_database_when_its_log_file_is_gone()
    {
        var bel = "postgres:" + _postgres.NewSchema();
        var build = _graph.Cli("build", "a/3", "--bel", bel);
        Assert.True(build.ExitCode == 0, build.Stderr);
        var logs = Path.Combine(_graph.Folder, ".databuild", "logs");
        var file = Assert.Single(Directory.GetFiles(logs, "*.log"));
        var runId = Path.GetFileNameWithoutExtension(file);
        var written = File.ReadAllText(file);
        Assert.Contains("building a/3", written);
        Directory.Delete(logs, recursive: true);

        using var service = ServiceProcess.Start(_graph, null, "--bel", bel);
        var text = "";
        var offset = 0L;
        while (true)
        {
            var part = await service.GetJson($"/api/v1/runs/{runId}/log?offset={offset}&limit=7");
            Assert.Equal(offset, part["offset"]!.GetValue<long>());
            text += part["data"]!.GetValue<string>();
            offset = part["nextOffset"]!.GetValue<long>();
            if (part["complete"]!.GetValue<bool>()) break;
        }

        Assert.Equal(written, text);
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(written), offset);
    }
}
