using System.Text.Json.Nodes;

namespace DataBuild.Service.Tests;

/// <summary>Plan once, run later: <c>POST /api/v1/analyze</c> then <c>POST /api/v1/execute</c> with its job graph.</summary>
public sealed class ExecuteTests : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task An_analysed_job_graph_runs_as_analysed_and_answers_with_the_manifests_once_its_build_ended()
    {
        using var service = ServiceProcess.Start(_graph);
        var (analyzed, jobGraph, _) = await service.Post("/api/v1/analyze", new { partitions = new[] { "b/{1..2}" } });
        Assert.Equal(200, analyzed);
        Assert.Equal(["b/1", "b/2"], jobGraph!["outputs"]!.AsArray().Select(o => o!["str"]!.GetValue<string>()));
        Assert.Empty(_graph.Runs());

        var (status, response, _) = await service.Post("/api/v1/execute", jobGraph);

        Assert.True(status == 200, $"POST /api/v1/execute: {status} {response}");
        Assert.Equal("BUILD_REQUEST_COMPLETED", response!["result"]!["status"]!.GetValue<string>());
        Assert.Equal(4, response["result"]!["jobRuns"]!.GetValue<int>());
        Assert.Equal(["a/1", "a/2", "b/1", "b/2"], Outputs(response));
        Assert.True(_graph.Built("b/1") && _graph.Built("b/2"));
        Assert.Equal(4, _graph.Runs().Count);

        // Run again, it builds nothing and still answers with the manifests of what built the outputs.
        var (again, second, _) = await service.Post("/api/v1/execute", jobGraph);
        Assert.Equal(200, again);
        Assert.Equal(0, second!["result"]!["jobRuns"]!.GetValue<int>());
        Assert.Equal(["b/1", "b/2"], Outputs(second));
        Assert.Equal(4, _graph.Runs().Count);
    }

    [Fact]
    public async Task A_job_graph_that_no_longer_fits_the_graph_gets_400_naming_the_change_and_runs_nothing()
    {
        using var service = ServiceProcess.Start(_graph);
        var (_, jobGraph, _) = await service.Post("/api/v1/analyze", new { partitions = new[] { "a/1" } });
        jobGraph!["nodes"]![0]!["job"]!["label"] = "gone";

        var (status, problem, contentType) = await service.Post("/api/v1/execute", jobGraph);

        Assert.Equal(400, status);
        Assert.Equal("application/problem+json", contentType);
        Assert.Contains("the job 'gone' is no longer in the graph", problem!["detail"]!.GetValue<string>());
        Assert.Empty(_graph.Runs());
        Assert.Empty((await service.GetJson("/api/v1/builds"))["builds"]!.AsArray());
    }

    private static string[] Outputs(JsonNode response) =>
        response["manifests"]!.AsArray().SelectMany(m => m!["outputs"]!.AsArray().Select(o => o!["str"]!.GetValue<string>())).Order().ToArray();

    public void Dispose() => _graph.Dispose();
}
