using DataBuild.Service.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataBuild.Dashboard.Tests;

[Collection(BrowserCollection.Name)]
public sealed class PartitionsPageTests(Chromium chromium) : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task A_partition_built_from_the_page_goes_from_building_to_available_live_and_its_log_streams()
    {
        using var service = ServiceProcess.Start(_graph);
        await using var tab = await DashboardPage.OpenAsync(chromium, service, "#/partitions");
        var page = tab.Page;
        await Expect(page.Locator("#graph-label")).ToHaveTextAsync("service_test");
        // Gone if the page ever loads again: everything below must happen live.
        await page.EvaluateAsync("() => { window.keptAcrossUpdates = true; }");

        await page.GetByRole(AriaRole.Textbox, new() { Name = "Build partitions" }).FillAsync("a/slow1 b/fast1");
        await page.Locator("form[aria-label='build partitions'] button[type=submit]").ClickAsync();
        await Expect(page.Locator("[data-build-request]")).ToBeVisibleAsync();

        await page.GetByLabel("Glob").FillAsync("a/**");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var slow = page.Locator("tr[data-ref='a/slow1']");
        await Expect(slow.Locator(".badge")).ToHaveAttributeAsync("data-status", "PARTITION_BUILDING");
        await Expect(page.Locator("tr[data-ref='a/fast1'] .badge")).ToHaveAttributeAsync("data-status", "PARTITION_AVAILABLE");
        Assert.All(await page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.ref)"), r => Assert.StartsWith("a/", r));
        await tab.ScreenshotAsync("partitions-building");

        // Its run, live: the log streams what the job has printed so far.
        await slow.GetByRole(AriaRole.Link, new() { NameRegex = new("^run ") }).ClickAsync();
        await Expect(page.Locator("dl.details .badge")).ToHaveAttributeAsync("data-status", "JOB_RUNNING");
        await Expect(page.Locator("pre.log")).ToContainTextAsync("building a/slow1");
        await Expect(page.Locator("section p[role=status]")).ToContainTextAsync("live");

        await page.EvaluateAsync("() => history.back()");
        await Expect(slow.Locator(".badge")).ToHaveAttributeAsync("data-status", "PARTITION_BUILDING");
        _graph.Release();
        await Expect(slow.Locator(".badge")).ToHaveAttributeAsync("data-status", "PARTITION_AVAILABLE");
        Assert.True(await page.EvaluateAsync<bool>("() => window.keptAcrossUpdates === true"), "the page was loaded again");
        await tab.ScreenshotAsync("partitions-available");

        await page.EvaluateAsync("() => history.forward()");
        await Expect(page.Locator("pre.log")).ToContainTextAsync("done a/slow1");
        await Expect(page.Locator("dl.details .badge")).ToHaveAttributeAsync("data-status", "JOB_COMPLETED");
        await Expect(page.Locator("section p[role=status]")).ToContainTextAsync("has ended");
        await tab.ScreenshotAsync("run-log");

        await tab.GoAsync("#/partitions?pattern=b/**");
        await Expect(page.Locator("tr[data-ref='b/fast1'] .badge")).ToHaveAttributeAsync("data-status", "PARTITION_AVAILABLE");
        Assert.Equal(["b/fast1"], await page.Locator("tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.ref)"));
        Assert.True(await page.EvaluateAsync<bool>("() => window.keptAcrossUpdates === true"), "the page was loaded again");

        // On a phone the page reflows instead of running off the side.
        await page.SetViewportSizeAsync(390, 844);
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than a phone's screen");
        await tab.ScreenshotAsync("partitions-phone");
        tab.AssertOnlyOwnOriginAndNoErrors();
    }

    public void Dispose() => _graph.Dispose();
}
