using System.Text.Json.Nodes;
using DataBuild.Proto;

namespace DataBuild.Service.Tests;

/// <summary>The routes the dashboard needs (the service info, a build request's graph drawn) and its files at /.</summary>
public sealed class DashboardRoutesTests : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task The_service_info_names_the_graph_its_jobs_and_where_the_log_ends()
    {
        using var service = ServiceProcess.Start(_graph, extra: ["--parallelism", "3"]);
        var before = await service.GetJson("/api/v1/info");
        Assert.Equal("service_test", before["graphLabel"]!.GetValue<string>());
        Assert.Equal(3, before["parallelism"]!.GetValue<int>());
        Assert.Equal(["a", "b", "m"], before["jobs"]!.AsArray().Select(j => j!["label"]!.GetValue<string>()));
        Assert.Equal("a/{x}", before["jobs"]![0]!["outputs"]![0]!.GetValue<string>());

        await service.WaitForBuild(await service.SubmitBuild("a/1"));
        var after = await service.GetJson("/api/v1/info");
        var last = after["lastIndex"]!.GetValue<long>();
        Assert.True(last > before["lastIndex"]!.GetValue<long>());
        // A follower starting there sees only what comes next.
        var page = await service.GetJson($"/api/v1/events?since={last}");
        Assert.Empty(page["events"]!.AsArray());
    }

    [Fact]
    public async Task A_build_requests_graph_is_a_mermaid_flowchart_whose_nodes_carry_their_status_as_it_builds()
    {
        using var service = ServiceProcess.Start(_graph);
        var id = await service.SubmitBuild("b/slow1");
        JsonNode graph = null!;
        await ServiceProcess.WaitUntil(async () =>
        {
            graph = await service.GetJson($"/api/v1/builds/{id}/graph");
            return Node(graph, "a/slow1")?["styleClass"]?.GetValue<string>() == "building";
        }, "the upstream partition to be building");
        var mermaid = graph["mermaid"]!.GetValue<string>();
        Assert.StartsWith("flowchart LR", mermaid);
        var job = graph["nodes"]!.AsArray().Single(n => n!["jobLabel"]!.GetValue<string>() == "a")!;
        Assert.Equal("job_running", job["styleClass"]!.GetValue<string>());
        Assert.Equal("JOB_RUNNING", job["jobStatus"]!.GetValue<string>());
        Assert.Equal(["a/slow1"], job["outputs"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Contains($"{job["id"]!.GetValue<string>()}[\"a\"]:::job_running", mermaid);
        Assert.Equal("missing", Node(graph, "b/slow1")!["styleClass"]!.GetValue<string>());
        // Every status a node can move to has its class, so the page can draw any of them.
        Assert.Contains("classDef job_completed ", mermaid);
        Assert.Contains("classDef available ", mermaid);

        _graph.Release();
        await service.WaitForBuild(id);
        graph = await service.GetJson($"/api/v1/builds/{id}/graph");
        Assert.Equal("PARTITION_AVAILABLE", Node(graph, "b/slow1")!["partitionStatus"]!.GetValue<string>());
        Assert.All(graph["nodes"]!.AsArray().Where(n => n!["jobLabel"]!.GetValue<string>().Length > 0),
            n => Assert.Equal("job_completed", n!["styleClass"]!.GetValue<string>()));
        var runs = (await service.GetJson($"/api/v1/builds/{id}"))["runs"]!.AsArray().Select(r => r!["jobRunId"]!.GetValue<string>()).Order();
        Assert.Equal(runs, graph["nodes"]!.AsArray().Select(n => n!["jobRunId"]!.GetValue<string>()).Where(r => r.Length > 0).Order());

        // The same over gRPC.
        var drawn = await service.Grpc.GetBuildGraphAsync(new GetBuildGraphRequest { BuildRequestId = id });
        Assert.Equal(graph["mermaid"]!.GetValue<string>(), drawn.Mermaid);
    }

    [Fact]
    public async Task A_graph_of_a_bad_or_unknown_build_request_id_is_refused()
    {
        using var service = ServiceProcess.Start(_graph);
        using var bad = await service.Http.GetAsync("/api/v1/builds/not-an-id/graph");
        Assert.Equal(400, (int)bad.StatusCode);
        var problem = JsonNode.Parse(await bad.Content.ReadAsStringAsync())!;
        Assert.Equal("buildRequestId", problem["field"]!.GetValue<string>());
        using var unknown = await service.Http.GetAsync($"/api/v1/builds/{Guid.CreateVersion7()}/graph");
        Assert.Equal(404, (int)unknown.StatusCode);
    }

    [Fact]
    public async Task The_dashboard_is_served_at_the_root_with_a_policy_that_allows_only_this_origin()
    {
        using var service = ServiceProcess.Start(_graph);
        using var index = await service.Http.GetAsync("/");
        Assert.Equal(200, (int)index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        var html = await index.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"/assets/main.js\"></script>", html);
        Assert.DoesNotContain("http", html.Replace("http-equiv", ""), StringComparison.Ordinal);
        var policy = string.Join(' ', index.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", policy);
        Assert.Contains("connect-src 'self'", policy);

        using var script = await service.Http.GetAsync("/assets/main.js");
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        // Unchanged files are not sent again.
        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/main.js");
        again.Headers.IfNoneMatch.Add(script.Headers.ETag!);
        using var notModified = await service.Http.SendAsync(again);
        Assert.Equal(304, (int)notModified.StatusCode);
        using var missing = await service.Http.GetAsync("/assets/nothing.js");
        Assert.Equal(404, (int)missing.StatusCode);
    }

    private static JsonNode? Node(JsonNode graph, string partitionRef) =>
        graph["nodes"]!.AsArray().FirstOrDefault(n => n!["partitionRef"]!.GetValue<string>() == partitionRef);

    public void Dispose() => _graph.Dispose();
}
