using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace DataBuild.Service.Tests;

/// <summary>
/// Two real services, each on its own log: the downstream graph's job <c>c</c> reads <c>a/{x}</c>, which only the
/// upstream graph builds. The downstream asks the upstream for a build of it and follows its events.
/// </summary>
public sealed class UpstreamTests : IDisposable
{
    private readonly ServiceGraph _upstream = new();
    private readonly List<IDisposable> _cleanup = [];

    [Fact]
    public async Task A_downstream_service_gets_its_input_built_by_the_upstream_service_and_both_logs_record_it()
    {
        using var upstream = ServiceProcess.Start(_upstream);
        var downstreamGraph = Downstream(upstream.BaseAddress.ToString().TrimEnd('/'));
        using var downstream = ServiceProcess.Start(downstreamGraph);

        var id = await downstream.SubmitBuild("c/1");
        var build = await downstream.WaitForBuild(id);

        Assert.True(build["status"]!.GetValue<string>() == "BUILD_REQUEST_COMPLETED", build.ToJsonString());
        Assert.True(_upstream.Built("a/1"), "the upstream graph built a/1");
        Assert.True(downstreamGraph.Built("c/1"), "the downstream graph built c/1");
        Assert.DoesNotContain(downstreamGraph.Runs(), r => r.EndsWith(" a/1", StringComparison.Ordinal));

        // Downstream: the wait, step by step, and the partition as its catalog knows it now.
        var statuses = await UpstreamStatuses(downstream, "a/1");
        Assert.Equal(["UPSTREAM_REQUESTED", "UPSTREAM_WAITING", "UPSTREAM_AVAILABLE"], statuses);
        var partition = await downstream.GetJson("/api/v1/partitions/a/1");
        Assert.Equal("PARTITION_AVAILABLE", partition["status"]!.GetValue<string>());
        Assert.Contains(upstream.BaseAddress.ToString().TrimEnd('/'), partition["message"]!.GetValue<string>());

        // Upstream: a build request asked for by the downstream build.
        var builds = (await upstream.GetJson("/api/v1/builds"))["builds"]!.AsArray();
        var asked = Assert.Single(builds);
        Assert.Equal($"graph downstream_test build request {id}", asked!["requestedBy"]!.GetValue<string>());
        Assert.Equal("a/1", asked["requestedPartitions"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_partition_the_upstream_fails_fails_the_downstream_build_with_the_upstreams_reason()
    {
        using var upstream = ServiceProcess.Start(_upstream);
        var downstreamGraph = Downstream(upstream.BaseAddress.ToString().TrimEnd('/'));

        var (exitCode, stdout, stderr) = downstreamGraph.Cli("build", "c/fail1");

        Assert.True(exitCode == 1, $"exit {exitCode}\n{stdout}\n{stderr}");
        Assert.Contains("no data for a/fail1", stdout + stderr);
        Assert.Empty(downstreamGraph.Runs());
        using var downstream = ServiceProcess.Start(downstreamGraph);
        var partition = await downstream.GetJson("/api/v1/partitions/c/fail1");
        Assert.Equal("PARTITION_FAILED", partition["status"]!.GetValue<string>());
        Assert.Contains("no data for a/fail1", partition["message"]!.GetValue<string>());
        Assert.Equal("UPSTREAM_FAILED", (await UpstreamStatuses(downstream, "a/fail1"))[^1]);
    }

    [Fact]
    public async Task An_unreachable_upstream_is_reported_and_asked_again_until_it_answers()
    {
        var url = $"http://127.0.0.1:{FreePort()}";
        var downstreamGraph = Downstream(url);
        var cli = Task.Run(() => downstreamGraph.Cli("build", "c/2"));
        await ServiceProcess.WaitUntil(() => Task.FromResult(cli.IsCompleted || Unreachable(downstreamGraph) >= 2), "the downstream to retry");
        if (cli.IsCompleted)
        {
            var early = await cli;
            Assert.Fail($"the build ended while its upstream was down: {early.Stdout}{early.Stderr}");
        }

        using var upstream = ServiceProcess.StartOn(_upstream, url);
        var (exitCode, stdout, stderr) = await cli;

        Assert.True(exitCode == 0, $"exit {exitCode}\n{stdout}\n{stderr}");
        Assert.Contains($"waiting  {url}: cannot reach {url}", stdout + stderr);
        Assert.True(downstreamGraph.Built("c/2") && _upstream.Built("a/2"));
        using var downstream = ServiceProcess.Start(downstreamGraph);
        var statuses = await UpstreamStatuses(downstream, "a/2");
        Assert.Equal("UPSTREAM_UNREACHABLE", statuses[1]);
        Assert.Equal(["UPSTREAM_REQUESTED", "UPSTREAM_WAITING", "UPSTREAM_AVAILABLE"], statuses[^3..]);
    }

    [Fact]
    public async Task An_upstream_with_a_token_is_called_with_the_token_of_the_token_file_and_refuses_a_wrong_one()
    {
        const string token = "0123456789abcdef0123456789abcdef";
        using var upstream = ServiceProcess.Start(_upstream, token);
        var url = upstream.BaseAddress.ToString().TrimEnd('/');
        var right = Downstream(url, "secrets/upstream.token");
        Directory.CreateDirectory(Path.Combine(right.Folder, "secrets"));
        File.WriteAllText(Path.Combine(right.Folder, "secrets", "upstream.token"), token + "\n");
        var wrong = Downstream(url, "wrong.token");
        File.WriteAllText(Path.Combine(wrong.Folder, "wrong.token"), "not-the-token-at-all");

        var built = right.Cli("build", "c/3");
        var refused = wrong.Cli("build", "c/4");

        Assert.True(built.ExitCode == 0, $"{built.Stdout}\n{built.Stderr}");
        Assert.True(right.Built("c/3") && _upstream.Built("a/3"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains($"{url} refused to build them: 401", refused.Stdout + refused.Stderr);
        Assert.Contains(Path.Combine(wrong.Folder, "wrong.token"), refused.Stdout + refused.Stderr);
        Assert.False(_upstream.Built("a/4"));
    }

    private ServiceGraph Downstream(string url, string? tokenFile = null)
    {
        var graph = ServiceGraph.Downstream(url, tokenFile);
        _cleanup.Add(graph);
        return graph;
    }

    private static async Task<List<string>> UpstreamStatuses(ServiceProcess service, string partitionRef)
    {
        var page = await service.GetJson($"/api/v1/events?partition={partitionRef}&limit=1000");
        return page["events"]!.AsArray()
            .Select(e => e!["event"]!["upstreamEvent"])
            .OfType<JsonNode>()
            .Select(u => u["status"]!.GetValue<string>())
            .ToList();
    }

    // UNREACHABLE events in the downstream's log so far, read with the CLI while its build runs.
    private static int Unreachable(ServiceGraph graph)
    {
        var (exitCode, stdout, _) = graph.Cli("events");
        return exitCode == 0 ? stdout.Split('\n').Count(l => l.Contains("UPSTREAM_UNREACHABLE", StringComparison.Ordinal)) : 0;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (var graph in _cleanup) graph.Dispose();
        _upstream.Dispose();
    }
}
