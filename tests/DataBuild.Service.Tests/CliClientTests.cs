using System.Diagnostics;
using System.Text.Json.Nodes;

namespace DataBuild.Service.Tests;

/// <summary>
/// <c>databuild --server</c>: the CLI talking to a real <c>databuild serve</c> on a loopback port prints what it prints
/// from the log itself, also from a folder with no graph and no log; a token, a missing token and an unreachable
/// service get one line and exit 2.
/// </summary>
public sealed class CliClientTests : IDisposable
{
    private static readonly IReadOnlyDictionary<string, string> NoEnvironment = new Dictionary<string, string>();

    private readonly ServiceGraph _graph = new();
    private readonly string _elsewhere = Directory.CreateTempSubdirectory("databuild-client-").FullName;

    private (int ExitCode, string Stdout, string Stderr) Remote(ServiceProcess service, params string[] args) =>
        ServiceGraph.CliIn(_elsewhere, NoEnvironment, ["--server", service.BaseAddress.ToString(), .. args]);

    [Fact]
    public async Task Status_runs_wants_events_and_logs_through_the_service_print_what_they_print_from_the_log()
    {
        var build = _graph.Cli("build", "b/1", "a/2");
        Assert.True(build.ExitCode == 0, build.Stderr);
        Assert.Equal(0, _graph.Cli("want", "a/3", "--ttl", "7d", "--sla", "6h").ExitCode);
        var runId = JsonNode.Parse(_graph.Cli("runs", "--json").Stdout)!.AsArray()[0]!["jobRunId"]!.GetValue<string>();
        using var service = ServiceProcess.Start(_graph);
        // Wait until the service's reconciler has built the want, so both sides read the same log.
        await ServiceProcess.WaitUntil(async () => (await service.GetJson("/api/v1/wants?all=true"))["wants"]![0]!["state"]!.GetValue<string>() == "satisfied",
            "the want to be satisfied");
        string[][] commands =
        [
            ["status"], ["status", "--json"], ["status", "a/*", "c/never", "--json"], ["runs"], ["runs", "--json", "--limit", "2"],
            ["runs", "--job", "b"], ["wants"], ["wants", "--json"], ["wants", "--tree", "--json"], ["events", "--limit", "5"],
            ["events", "--json"], ["events", "--json", "--pattern", "b/*", "--since", "3"], ["logs", runId], ["logs", runId[^6..]],
        ];
        foreach (var command in commands)
        {
            var local = _graph.Cli(command);
            var remote = Remote(service, command);
            Assert.True(local.ExitCode == 0, $"{string.Join(' ', command)}: {local.Stderr}");
            Assert.True(remote.ExitCode == 0, $"--server {string.Join(' ', command)}: {remote.Stderr}");
            Assert.Equal(local.Stdout, remote.Stdout);
        }
        Assert.Contains("building a/", Remote(service, "logs", runId).Stdout);
        // A job run that does not exist is bad input on both paths.
        Assert.Equal(2, Remote(service, "logs", "no-such-run").ExitCode);
    }

    [Fact]
    public void A_build_through_the_service_runs_there_and_prints_progress_and_result_as_a_local_build()
    {
        using var service = ServiceProcess.Start(_graph);
        var build = Remote(service, "build", "b/7");
        Assert.True(build.ExitCode == 0, build.Stderr);
        Assert.Contains("2 job runs planned for 1 requested partitions", build.Stdout);
        Assert.Contains("started  a a/7", build.Stdout);
        Assert.Contains("built    b b/7", build.Stdout);
        Assert.Contains("Build succeeded: 2 job runs", build.Stdout);
        Assert.True(_graph.Built("b/7"));

        var again = JsonNode.Parse(Remote(service, "build", "b/7", "--json").Stdout)!;
        Assert.Equal(("BUILD_REQUEST_COMPLETED", 0, 1), (again["status"]!.GetValue<string>(), again["jobRuns"]!.GetValue<int>(), again["alreadyAvailable"]!.GetValue<int>()));

        var refused = Remote(service, "build", "c/1");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("no job produces 'c/1'", refused.Stderr);
        Assert.Single(refused.Stderr.Trim().Split('\n'));
        var parallel = Remote(service, "build", "a/8", "-j", "2");
        Assert.Equal(2, parallel.ExitCode);
        Assert.Contains("--parallelism does not go with --server", parallel.Stderr);
    }

    [Fact]
    public void Invalidate_through_the_service_records_it_there_and_refuses_what_was_never_built()
    {
        Assert.Equal(0, _graph.Cli("build", "b/1").ExitCode);
        using var service = ServiceProcess.Start(_graph);

        var invalidated = Remote(service, "invalidate", "a/*", "--reason", "feed corrected");
        Assert.True(invalidated.ExitCode == 0, invalidated.Stderr);
        Assert.Equal("Invalidated 1 partitions: a/1. The next build rebuilds them.", invalidated.Stdout.Trim());
        var status = JsonNode.Parse(Remote(service, "status", "a/1", "--json").Stdout)!.AsArray().Single()!;
        Assert.Equal(("PARTITION_STALE", "invalidated: feed corrected"), (status["status"]!.GetValue<string>(), status["staleReason"]!.GetValue<string>()));
        Assert.Contains($"{Environment.UserName}@{Environment.MachineName}", _graph.Cli("events", "--json").Stdout);

        var refused = Remote(service, "invalidate", "a/9", "--json");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("a/9 was never built, so there is nothing to invalidate", refused.Stderr);
        Assert.Equal("", refused.Stdout);
    }

    [Fact]
    public void Want_wants_and_want_cancel_go_to_the_service_and_DATABUILD_SERVER_names_it()
    {
        using var service = ServiceProcess.Start(_graph);
        var environment = new Dictionary<string, string> { ["DATABUILD_SERVER"] = service.BaseAddress.ToString() };
        var created = ServiceGraph.CliIn(_elsewhere, environment, "want", "a/slow1", "--ttl", "1d", "--json");
        Assert.True(created.ExitCode == 0, created.Stderr);
        var id = JsonNode.Parse(created.Stdout)!["wantId"]!.GetValue<string>();
        var listed = ServiceGraph.CliIn(_elsewhere, environment, "wants", "--active");
        Assert.Contains(id, listed.Stdout);
        var cancelled = ServiceGraph.CliIn(_elsewhere, environment, "want", "cancel", id[^8..]);
        Assert.True(cancelled.ExitCode == 0, cancelled.Stderr);
        Assert.Equal($"Want {id} cancelled.", cancelled.Stdout.Trim());
        Assert.DoesNotContain(id, ServiceGraph.CliIn(_elsewhere, environment, "wants", "--active").Stdout);
        // A command that reads the log itself says it does not go through a service.
        var verify = ServiceGraph.CliIn(_graph.Folder, environment, "verify");
        Assert.Equal(2, verify.ExitCode);
        Assert.Contains("works on the event log itself", verify.Stderr);
    }

    [Fact]
    public async Task Events_follow_through_the_service_prints_new_events_as_they_are_committed()
    {
        using var service = ServiceProcess.Start(_graph);
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = _elsewhere, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in (string[])[ServiceGraph.CliDll, "--server", service.BaseAddress.ToString(), "events", "--follow", "--json", "--pattern", "a/*"])
            info.ArgumentList.Add(arg);
        using var follow = Process.Start(info)!;
        var lines = new List<string>();
        var sawAvailable = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        follow.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (e.Data.Contains("PARTITION_AVAILABLE") && e.Data.Contains("\"a/9\"")) sawAvailable.TrySetResult();
        };
        follow.BeginOutputReadLine();
        await Task.Delay(1000);
        await service.WaitForBuild(await service.SubmitBuild("a/9"));
        await sawAvailable.Task.WaitAsync(TimeSpan.FromSeconds(60));
        follow.Kill();
        lock (lines)
        {
            var indexes = lines.Select(l => JsonNode.Parse(l)!["index"]!.GetValue<long>()).ToArray();
            Assert.Equal(indexes.Distinct().Order(), indexes);
        }
    }

    [Fact]
    public void A_service_with_a_token_needs_it_and_an_unreachable_service_is_one_line_and_exit_2()
    {
        const string token = "client-test-token-0123456789abcdef";
        using var service = ServiceProcess.Start(_graph, token);
        var without = Remote(service, "status");
        Assert.Equal(2, without.ExitCode);
        Assert.Contains("needs a token (401)", without.Stderr);
        var wrongFile = Path.Combine(_elsewhere, "wrong");
        File.WriteAllText(wrongFile, "not-the-token-0123456789\n");
        var wrong = Remote(service, "--token-file", wrongFile, "status");
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("refused the token (401)", wrong.Stderr);
        var with = Remote(service, "--token-file", Path.Combine(_graph.Folder, "token"), "status");
        Assert.True(with.ExitCode == 0, with.Stderr);
        Assert.Contains("The event log has no partitions yet.", with.Stdout);

        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var unreachable = ServiceGraph.CliIn(_elsewhere, NoEnvironment, "--server", $"http://127.0.0.1:{closedPort}", "runs");
        Assert.Equal(2, unreachable.ExitCode);
        Assert.Equal($"databuild: cannot reach the service at http://127.0.0.1:{closedPort}/: Connection refused", unreachable.Stderr.Trim());
        var notAnAddress = ServiceGraph.CliIn(_elsewhere, NoEnvironment, "--server", "127.0.0.1:8765", "runs");
        Assert.Equal(2, notAnAddress.ExitCode);
        Assert.Contains("--server must be the service's http:// or https:// address", notAnAddress.Stderr);
    }

    public void Dispose()
    {
        _graph.Dispose();
        Directory.Delete(_elsewhere, recursive: true);
    }
}
