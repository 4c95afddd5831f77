namespace DataBuild.Service.Tests;

public sealed class InvalidateTests : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task Invalidating_over_http_makes_a_built_partition_stale_with_the_reason_and_the_next_build_rebuilds_it()
    {
        using var service = ServiceProcess.Start(_graph);
        var first = await service.WaitForBuild(await service.SubmitBuild("b/1"));
        Assert.Equal("BUILD_REQUEST_COMPLETED", first["status"]!.GetValue<string>());
        Assert.Equal(2, _graph.Runs().Count);

        var (status, body, _) = await service.Post("/api/v1/partitions:invalidate", new { partitions = new[] { "a/*" }, reason = "bad input file" });
        Assert.True(status == 200, $"{status} {body}");
        Assert.Equal("a/1", Assert.Single(body!["invalidated"]!.AsArray())!.GetValue<string>());
        var partition = await service.GetJson("/api/v1/partitions/a/1");
        Assert.Equal("PARTITION_STALE", partition["status"]!.GetValue<string>());
        Assert.Contains("bad input file", partition["staleReason"]!.GetValue<string>());

        var second = await service.WaitForBuild(await service.SubmitBuild("b/1"));
        Assert.Equal("BUILD_REQUEST_COMPLETED", second["status"]!.GetValue<string>());
        Assert.Equal(4, _graph.Runs().Count);
        Assert.Equal("PARTITION_AVAILABLE", (await service.GetJson("/api/v1/partitions/a/1"))["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("a/9", "never built")]
    [InlineData("a//1", "not a ref or glob")]
    [InlineData("zz/**", "no built partition matches")]
    public async Task A_bad_or_never_built_selector_is_a_400_naming_partitions_and_writes_nothing(string selector, string why)
    {
        using var service = ServiceProcess.Start(_graph);
        Assert.Equal("BUILD_REQUEST_COMPLETED", (await service.WaitForBuild(await service.SubmitBuild("a/1")))["status"]!.GetValue<string>());
        var before = (await service.GetJson("/api/v1/info"))["lastIndex"]!.GetValue<long>();

        var (status, problem, type) = await service.Post("/api/v1/partitions:invalidate", new { partitions = new[] { "a/1", selector }, reason = "r" });
        Assert.Equal(400, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal("partitions", problem!["field"]!.GetValue<string>());
        Assert.Contains(why, problem["detail"]!.GetValue<string>());
        Assert.Equal(before, (await service.GetJson("/api/v1/info"))["lastIndex"]!.GetValue<long>());
        Assert.Equal("PARTITION_AVAILABLE", (await service.GetJson("/api/v1/partitions/a/1"))["status"]!.GetValue<string>());
    }

    public void Dispose() => _graph.Dispose();
}
