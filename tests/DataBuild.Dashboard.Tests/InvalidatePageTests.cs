using DataBuild.Service.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataBuild.Dashboard.Tests;

[Collection(BrowserCollection.Name)]
public sealed class InvalidatePageTests(Chromium chromium) : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task Invalidating_a_partition_from_its_page_turns_it_stale_with_the_reason_live()
    {
        using var service = ServiceProcess.Start(_graph);
        Assert.Equal("BUILD_REQUEST_COMPLETED", (await service.WaitForBuild(await service.SubmitBuild("a/1")))["status"]!.GetValue<string>());
        await using var tab = await DashboardPage.OpenAsync(chromium, service, "#/partition/a/1");
        var page = tab.Page;
        var badge = page.Locator("dl.details .badge");
        await Expect(badge).ToHaveAttributeAsync("data-status", "PARTITION_AVAILABLE");
        // Gone if the page ever loads again: the change must arrive live.
        await page.EvaluateAsync("() => { window.keptAcrossUpdates = true; }");

        await page.GetByLabel("invalidation reason").FillAsync("bad input file");
        await page.GetByRole(AriaRole.Button, new() { Name = "Invalidate" }).ClickAsync();

        await Expect(badge).ToHaveAttributeAsync("data-status", "PARTITION_STALE");
        await Expect(page.Locator("dl.details")).ToContainTextAsync("bad input file");
        await Expect(page.Locator("p.notice")).ToContainTextAsync("Invalidated a/1");
        Assert.True(await page.EvaluateAsync<bool>("() => window.keptAcrossUpdates === true"), "the page was loaded again");
        var partition = await service.GetJson("/api/v1/partitions/a/1");
        Assert.Equal("PARTITION_STALE", partition["status"]!.GetValue<string>());
        await tab.ScreenshotAsync("partition-invalidated");
        tab.AssertOnlyOwnOriginAndNoErrors();
    }

    public void Dispose() => _graph.Dispose();
}
