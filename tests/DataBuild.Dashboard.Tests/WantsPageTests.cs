using DataBuild.Service.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataBuild.Dashboard.Tests;

[Collection(BrowserCollection.Name)]
public sealed class WantsPageTests(Chromium chromium) : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task A_want_is_created_and_cancelled_from_the_page()
    {
        using var service = ServiceProcess.Start(_graph);
        await using var tab = await DashboardPage.OpenAsync(chromium, service, "#/wants");
        var page = tab.Page;
        await Expect(page.Locator("ul.want-tree")).ToContainTextAsync("No active wants.");

        await page.GetByLabel("Partitions").FillAsync("a/slow3");
        await page.GetByLabel("TTL").FillAsync("1d");
        await page.GetByLabel("SLA").FillAsync("1h");
        await page.GetByLabel("Reason").FillAsync("the dashboard test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create want" }).ClickAsync();

        var want = page.Locator("li.want").Filter(new() { HasText = "a/slow3" });
        await Expect(want.Locator(".want-head .badge").First).ToHaveAttributeAsync("data-status", "active");
        await Expect(want.Locator(".want-head")).ToContainTextAsync("on time");
        await Expect(want).ToContainTextAsync("1d, expires");
        var wantId = await want.GetAttributeAsync("data-want");
        Assert.NotNull(wantId);
        // What it waits for; the service's reconciler takes it up and starts building it.
        await Expect(want.Locator("dl")).ToContainTextAsync("Waiting fora/slow3");
        await ServiceProcess.WaitUntil(async () => (await service.GetJson("/api/v1/partitions/a/slow3"))["status"]!.GetValue<string>() == "PARTITION_BUILDING", "the want's partition to build");
        await tab.ScreenshotAsync("wants-active");

        await want.GetByRole(AriaRole.Button, new() { Name = $"cancel want {wantId}" }).ClickAsync();
        await Expect(page.Locator("ul.want-tree")).ToContainTextAsync("No active wants.");
        var listed = (await service.GetJson("/api/v1/wants?all=true"))["wants"]!.AsArray();
        Assert.Equal("cancelled", Assert.Single(listed)!["state"]!.GetValue<string>());

        await page.GetByRole(AriaRole.Link, new() { Name = "Show ended wants too" }).ClickAsync();
        await Expect(page.Locator($"li.want[data-want='{wantId}'] .want-head .badge").First).ToHaveAttributeAsync("data-status", "cancelled");
        await tab.ScreenshotAsync("wants-cancelled");
        tab.AssertOnlyOwnOriginAndNoErrors();
    }

    [Fact]
    public async Task A_wants_SLA_turns_at_risk_on_the_open_page_when_a_fifth_of_it_is_left_with_no_event_to_say_so()
    {
        using var service = ServiceProcess.Start(_graph);
        // Its job runs until released: after it starts, nothing is written until the SLA is missed.
        var (status, created, _) = await service.Post("/api/v1/wants", new { partitions = new[] { "a/slow4" }, sla = "30s" });
        Assert.True(status == 200, $"POST /api/v1/wants: {status} {created}");
        var atRisk = created!["slaAtRiskAt"]!.GetValue<long>();
        Assert.Equal(created["slaDeadline"]!.GetValue<long>() - 6_000_000_000L, atRisk);
        await using var tab = await DashboardPage.OpenAsync(chromium, service, "#/wants");
        var head = tab.Page.Locator("li.want .want-head");
        await Expect(head).ToContainTextAsync("on time");
        await ServiceProcess.WaitUntil(async () => (await service.GetJson("/api/v1/partitions/a/slow4"))["status"]!.GetValue<string>() == "PARTITION_BUILDING", "the want's partition to build");

        await Expect(head).ToContainTextAsync("at risk", new() { Timeout = 40_000 });

        Assert.True(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000 >= atRisk, "shown at risk before its time");
        await tab.ScreenshotAsync("wants-at-risk");
        tab.AssertOnlyOwnOriginAndNoErrors();
    }

    public void Dispose() => _graph.Dispose();
}
