using System.Text.Json.Nodes;
using DataBuild.Proto;

namespace DataBuild.Service.Tests;

public sealed class BuildTests : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task A_build_submitted_over_http_runs_in_the_service_and_completes()
    {
        using var service = ServiceProcess.Start(_graph);
        var id = await service.SubmitBuild("b/1");

        var build = await service.WaitForBuild(id);
        Assert.Equal("BUILD_REQUEST_COMPLETED", build["status"]!.GetValue<string>());
        Assert.Equal(2, build["runs"]!.AsArray().Count);
        Assert.True(_graph.Built("a/1") && _graph.Built("b/1"));
        var partition = await service.GetJson("/api/v1/partitions/b/1");
        Assert.Equal("PARTITION_AVAILABLE", partition["status"]!.GetValue<string>());
        Assert.Equal("a/1", partition["upstreams"]![0]!["partitionRef"]!["str"]!.GetValue<string>());
        var upstream = await service.GetJson("/api/v1/partitions/a/1");
        Assert.Equal("b/1", upstream["downstreams"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_build_submitted_over_grpc_completes_and_its_log_is_readable()
    {
        using var service = ServiceProcess.Start(_graph);
        var client = service.Grpc;
        var submitted = await client.SubmitBuildAsync(new SubmitBuildRequest { Partitions = { "a/7" } });
        BuildRequestDetail detail;
        do
        {
            await Task.Delay(100);
            detail = await client.GetBuildAsync(new GetBuildRequest { BuildRequestId = submitted.BuildRequestId });
        } while (detail.FinishedAt == 0);
        Assert.Equal(BuildRequestStatus.BuildRequestCompleted, detail.Status);
        var run = Assert.Single(detail.Runs);
        var chunk = await client.ReadRunLogAsync(new ReadRunLogRequest { JobRunId = run.JobRunId });
        Assert.Contains("building a/7", chunk.Data);
        Assert.True(chunk.Complete);

        // The same log over HTTP, in chunks that follow next_offset.
        var text = "";
        var offset = 0L;
        while (true)
        {
            var part = await service.GetJson($"/api/v1/runs/{run.JobRunId}/log?offset={offset}&limit=5");
            text += part["data"]!.GetValue<string>();
            offset = part["nextOffset"]!.GetValue<long>();
            if (part["complete"]!.GetValue<bool>()) break;
        }
        Assert.Equal(chunk.Data, text);
    }

    [Fact]
    public async Task Cancelling_a_build_stops_its_running_job_and_records_it_cancelled()
    {
        using var service = ServiceProcess.Start(_graph);
        var id = await service.SubmitBuild("a/slow1");
        await ServiceProcess.WaitUntil(async () => _graph.Runs().Count == 1, "the job to start");

        var (status, body, _) = await service.Post($"/api/v1/builds/{id}:cancel", new { });
        Assert.True(status == 200, $"{status} {body}");

        var build = await service.WaitForBuild(id, TimeSpan.FromSeconds(30));
        Assert.Equal("BUILD_REQUEST_CANCELLED", build["status"]!.GetValue<string>());
        Assert.Equal("JOB_CANCELLED", build["runs"]![0]!["status"]!.GetValue<string>());
        Assert.False(_graph.Built("a/slow1"));
    }

    [Fact]
    public async Task Builds_in_the_service_share_one_parallelism_limit()
    {
        using var service = ServiceProcess.Start(_graph, extra: ["--parallelism", "1"]);
        var ids = new[] { await service.SubmitBuild("a/1", "a/2"), await service.SubmitBuild("a/3"), await service.SubmitBuild("a/4") };
        foreach (var id in ids) Assert.Equal("BUILD_REQUEST_COMPLETED", (await service.WaitForBuild(id))["status"]!.GetValue<string>());
        Assert.Equal(4, _graph.Runs().Count);
        Assert.Equal(1, _graph.MaxConcurrency());
    }

    [Fact]
    public async Task A_CLI_build_delegates_to_the_service_build_of_the_same_partition()
    {
        using var service = ServiceProcess.Start(_graph);
        var id = await service.SubmitBuild("a/slow2");
        await ServiceProcess.WaitUntil(async () => _graph.Runs().Count == 1, "the service's job to start");

        var cli = Task.Run(() => _graph.Cli("build", "a/slow2"));
        await ServiceProcess.WaitUntil(async () =>
            (await service.GetJson("/api/v1/events?limit=1000"))["events"]!.AsArray().Any(e => e!["event"]!["delegationEvent"] is not null),
            "the CLI to delegate");
        _graph.Release();
        var (exitCode, stdout, stderr) = await cli;
        Assert.True(exitCode == 0, stdout + stderr);
        Assert.Contains("delegated", stdout);
        Assert.Equal("BUILD_REQUEST_COMPLETED", (await service.WaitForBuild(id))["status"]!.GetValue<string>());
        Assert.Single(_graph.Runs());
    }

    [Fact]
    public async Task Two_service_builds_of_one_partition_run_its_job_once()
    {
        using var service = ServiceProcess.Start(_graph);
        var first = await service.SubmitBuild("a/slow5");
        await ServiceProcess.WaitUntil(async () => _graph.Runs().Count == 1, "the first build's job to start");
        var second = await service.SubmitBuild("a/slow5");
        await ServiceProcess.WaitUntil(async () => (await service.GetJson($"/api/v1/builds/{second}"))["partitionsDelegated"]!.GetValue<int>() == 1,
            "the second build to delegate");
        _graph.Release();
        foreach (var id in new[] { first, second })
            Assert.Equal("BUILD_REQUEST_COMPLETED", (await service.WaitForBuild(id))["status"]!.GetValue<string>());
        Assert.Single(_graph.Runs());
    }

    [Fact]
    public async Task Partitions_are_listed_in_pages_by_ref_filtered_by_glob_and_status()
    {
        using var service = ServiceProcess.Start(_graph);
        await service.WaitForBuild(await service.SubmitBuild("b/1", "b/2", "b/3"));
        var seen = new List<string>();
        var token = "";
        do
        {
            var page = await service.GetJson($"/api/v1/partitions?pattern=**/*&status=PARTITION_AVAILABLE&pageSize=2&pageToken={token}");
            var refs = page["partitions"]!.AsArray().Select(p => p!["partitionRef"]!.GetValue<string>()).ToArray();
            Assert.InRange(refs.Length, 1, 2);
            seen.AddRange(refs);
            token = page["nextPageToken"]!.GetValue<string>();
        } while (token.Length > 0);
        Assert.Equal(["a/1", "a/2", "a/3", "b/1", "b/2", "b/3"], seen);
        var onlyB = await service.GetJson("/api/v1/partitions?pattern=b/*");
        Assert.Equal(3, onlyB["partitions"]!.AsArray().Count);
        Assert.Empty((await service.GetJson("/api/v1/partitions?status=PARTITION_FAILED"))["partitions"]!.AsArray());
    }

    [Fact]
    public async Task A_deleted_upstream_is_listed_MISSING_and_its_downstream_STALE_and_the_status_filter_sees_them_so()
    {
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(_graph.Folder, "graph.json")))!;
        foreach (var job in manifest["jobs"]!.AsArray()) job!["locations"] = new JsonArray($"data/{job["label"]}/{{x}}");
        File.WriteAllText(Path.Combine(_graph.Folder, "graph.json"), manifest.ToJsonString());
        using var service = ServiceProcess.Start(_graph);
        await service.WaitForBuild(await service.SubmitBuild("b/1", "b/2"));
        File.Delete(Path.Combine(_graph.Folder, "data/a/1"));

        async Task<string[]> Listed(string status) => (await service.GetJson($"/api/v1/partitions?status={status}"))["partitions"]!.AsArray()
            .Select(p => $"{p!["partitionRef"]} {p["staleReason"]}".Trim()).ToArray();
        Assert.Equal(["a/1"], await Listed("PARTITION_MISSING"));
        Assert.Equal(["b/1 upstream a/1 is missing"], await Listed("PARTITION_STALE"));
        Assert.Equal(["a/2", "b/2"], await Listed("PARTITION_AVAILABLE"));
    }

    [Fact]
    public async Task SIGTERM_cancels_the_running_build_and_exits_0()
    {
        var service = ServiceProcess.Start(_graph);
        string id;
        using (service)
        {
            id = await service.SubmitBuild("a/slow3");
            await ServiceProcess.WaitUntil(async () => _graph.Runs().Count == 1, "the job to start");
            Assert.Equal(0, service.Terminate());
        }
        var status = _graph.Cli("runs", "--json");
        Assert.True(status.ExitCode == 0, status.Stderr);
        Assert.Contains("JOB_CANCELLED", status.Stdout);
        using var again = ServiceProcess.Start(_graph);
        Assert.Equal("BUILD_REQUEST_CANCELLED", (await again.GetJson($"/api/v1/builds/{id}"))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_service_killed_mid_build_is_recovered_by_the_next_start()
    {
        string id;
        using (var service = ServiceProcess.Start(_graph))
        {
            id = await service.SubmitBuild("a/slow4");
            await ServiceProcess.WaitUntil(async () => _graph.Runs().Count == 1, "the job to start");
            service.KillHard();
        }
        _graph.Release();

        using var restarted = ServiceProcess.Start(_graph);
        var retry = await restarted.SubmitBuild("a/slow4");
        Assert.Equal("BUILD_REQUEST_COMPLETED", (await restarted.WaitForBuild(retry))["status"]!.GetValue<string>());
        var lost = await restarted.GetJson($"/api/v1/builds/{id}");
        Assert.True(lost["finishedAt"]!.GetValue<long>() > 0, lost.ToJsonString());
        Assert.NotEqual("BUILD_REQUEST_COMPLETED", lost["status"]!.GetValue<string>());
        var partition = await restarted.GetJson("/api/v1/partitions/a/slow4");
        Assert.Equal("PARTITION_AVAILABLE", partition["status"]!.GetValue<string>());
        Assert.Equal(retry, partition["buildRequestId"]!.GetValue<string>());
    }

    public void Dispose() => _graph.Dispose();
}
