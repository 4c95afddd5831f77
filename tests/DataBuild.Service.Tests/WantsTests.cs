using System.Diagnostics;

namespace DataBuild.Service.Tests;

public sealed class WantsTests : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task The_reconciler_in_the_service_builds_a_new_want_within_seconds()
    {
        // A long interval: only following the log can make it react this fast.
        using var service = ServiceProcess.Start(_graph);
        await Task.Delay(1500);
        var watch = Stopwatch.StartNew();
        var (status, want, _) = await service.Post("/api/v1/wants", new { partitions = new[] { "b/5" }, reason = "test" });
        Assert.True(status == 200, $"{status} {want}");
        var id = want!["wantId"]!.GetValue<string>();

        await ServiceProcess.WaitUntil(async () => (await service.GetJson("/api/v1/partitions/b/5"))["status"]!.GetValue<string>() == "PARTITION_AVAILABLE",
            "the wanted partition to be built");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"built after {watch.Elapsed}");
        await ServiceProcess.WaitUntil(async () =>
            (await service.GetJson("/api/v1/wants?all=true"))["wants"]!.AsArray().Any(w => w!["wantId"]!.GetValue<string>() == id && w["state"]!.GetValue<string>() == "satisfied"),
            "the want to be satisfied");
    }

    [Fact]
    public async Task A_want_cancelled_over_the_api_is_no_longer_active()
    {
        using var service = ServiceProcess.Start(_graph);
        var (_, want, _) = await service.Post("/api/v1/wants", new { partitions = new[] { "a/slow9" } });
        var id = want!["wantId"]!.GetValue<string>();
        var (status, cancelled, _) = await service.Post($"/api/v1/wants/{id}:cancel", new { reason = "not needed" });
        Assert.True(status == 200, $"{status} {cancelled}");
        Assert.Equal(id, cancelled!["cancelled"]![0]!.GetValue<string>());
        Assert.DoesNotContain((await service.GetJson("/api/v1/wants"))["wants"]!.AsArray(), w => w!["wantId"]!.GetValue<string>() == id);
        var (again, problem, type) = await service.Post($"/api/v1/wants/{id}:cancel", new { });
        Assert.Equal(400, again);
        Assert.Equal("application/problem+json", type);
        Assert.Contains("already ended", problem!["detail"]!.GetValue<string>());
    }

    public void Dispose() => _graph.Dispose();
}
