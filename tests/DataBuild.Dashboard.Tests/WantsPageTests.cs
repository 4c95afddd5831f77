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

    [Fact]
    public async Task A_child_want_appears_under_its_parent_live_and_the_chain_settles_when_its_dependency_is_built()
    {
        using var service = ServiceProcess.Start(_graph);
        await using var tab = await DashboardPage.OpenAsync(chromium, service, "#/wants");
        var page = tab.Page;
        await Expect(page.Locator("ul.want-tree")).ToContainTextAsync("No active wants.");

        // m/slow6 reports a/slow6 missing; the service's reconciler makes a child want for it, which builds until released.
        await page.GetByLabel("Partitions").FillAsync("m/slow6");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create want" }).ClickAsync();
        var root = page.Locator("ul.want-tree > li.want");
        await Expect(root).ToHaveCountAsync(1);
        var rootId = await root.GetAttributeAsync("data-want");
        Assert.NotNull(rootId);
        var children = root.Locator($"ul[aria-label='wants made for …{rootId![^8..]}'] > li.want");
        await Expect(children).ToHaveCountAsync(1);
        var child = children.First;
        await Expect(child.Locator("dl")).ToContainTextAsync("Partitionsa/slow6");
        await Expect(child.Locator(".want-head .badge").First).ToHaveAttributeAsync("data-status", "active");
        await Expect(child.Locator("dl")).ToContainTextAsync("job m reported it missing while building m/slow6");
        var childId = await child.GetAttributeAsync("data-want");
        var listed = (await service.GetJson("/api/v1/wants"))["wants"]!.AsArray();
        var childDetail = listed.Single(w => w!["wantId"]!.GetValue<string>() == childId)!;
        Assert.Equal(rootId, childDetail["parentWantId"]!.GetValue<string>());
        Assert.Equal(rootId, childDetail["rootWantId"]!.GetValue<string>());
        await tab.ScreenshotAsync("wants-tree");

        // Built: the child is satisfied, then its parent, whose job now finds its input; the open page follows.
        _graph.Release();
        await Expect(page.Locator("ul.want-tree")).ToContainTextAsync("No active wants.", new() { Timeout = 60_000 });
        Assert.True(_graph.Built("m/slow6"), "m/slow6 was not built");
        await page.GetByRole(AriaRole.Link, new() { Name = "Show ended wants too" }).ClickAsync();
        var ended = page.Locator($"li.want[data-want='{rootId}']");
        await Expect(ended.Locator(".want-head .badge").First).ToHaveAttributeAsync("data-status", "satisfied");
        await Expect(ended.Locator($"li.want[data-want='{childId}'] .want-head .badge").First).ToHaveAttributeAsync("data-status", "satisfied");
        await tab.ScreenshotAsync("wants-tree-satisfied");
        tab.AssertOnlyOwnOriginAndNoErrors();
    }

    public void Dispose() => _graph.Dispose();
}
