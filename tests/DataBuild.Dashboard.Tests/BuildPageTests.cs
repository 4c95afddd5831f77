using DataBuild.Service.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataBuild.Dashboard.Tests;

[Collection(BrowserCollection.Name)]
public sealed class BuildPageTests(Chromium chromium) : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task The_build_request_page_draws_its_job_graph_coloured_live_and_cancels_the_running_build()
    {
        using var service = ServiceProcess.Start(_graph);
        var id = await service.SubmitBuild("b/slow2");
        await using var tab = await DashboardPage.OpenAsync(chromium, service, $"#/builds/{id}");
        var page = tab.Page;

        var upstream = page.Locator(".graph g.node[data-node='a/slow2']");
        var job = page.Locator(".graph g.node[data-node='a']");
        await Expect(upstream).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bbuilding\b"));
        await Expect(job).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bjob_running\b"));
        await Expect(page.Locator(".graph g.node[data-node='b/slow2']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bmissing\b"));
        // A building node is drawn in the colour a building status has everywhere on the page.
        var nodeFill = await upstream.Locator("rect, path").First.EvaluateAsync<string>("e => getComputedStyle(e).fill");
        var badgeFill = await page.Locator("dl.details .badge.building").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.Equal(badgeFill, nodeFill);
        await Expect(page.Locator("tr[data-run] .badge")).ToHaveAttributeAsync("data-status", "JOB_RUNNING");
        await tab.ScreenshotAsync("build-request-running");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel build" }).ClickAsync();
        await Expect(page.Locator("dl.details .badge")).ToHaveAttributeAsync("data-status", "BUILD_REQUEST_CANCELLED");
        await Expect(page.Locator("tr[data-run] .badge")).ToHaveAttributeAsync("data-status", "JOB_CANCELLED");
        await Expect(job).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bjob_cancelled\b"));
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Cancel build" })).ToBeHiddenAsync();
        await tab.ScreenshotAsync("build-request-cancelled");
        var ended = await service.GetJson($"/api/v1/builds/{id}");
        Assert.Equal("BUILD_REQUEST_CANCELLED", ended["status"]!.GetValue<string>());

        // The list has it, and the event stream, filtered to it, shows how it ended.
        await tab.GoAsync("#/builds");
        await Expect(page.Locator($"tr[data-build-request='{id}'] .badge")).ToHaveAttributeAsync("data-status", "BUILD_REQUEST_CANCELLED");
        await tab.GoAsync($"#/events?request={id}");
        await Expect(page.Locator("table.events tbody tr").First).ToContainTextAsync("cancelled");
        Assert.All(await page.Locator("table.events tbody tr td:nth-child(3) a").EvaluateAllAsync<string[]>("links => links.map(a => a.textContent)"),
            text => Assert.Equal($"…{id[^8..]}", text));
        await tab.ScreenshotAsync("events");
        tab.AssertOnlyOwnOriginAndNoErrors();
    }

    public void Dispose() => _graph.Dispose();
}
