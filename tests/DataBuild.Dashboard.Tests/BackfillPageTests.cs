using System.Text.Json.Nodes;
using DataBuild.Service.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataBuild.Dashboard.Tests;

[Collection(BrowserCollection.Name)]
public sealed class BackfillPageTests(Chromium chromium) : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task The_build_requests_of_a_backfill_run_beside_the_service_are_tagged_with_its_id_in_the_list_and_on_their_page()
    {
        using var service = ServiceProcess.Start(_graph);
        await using var tab = await DashboardPage.OpenAsync(chromium, service, "#/builds");
        var page = tab.Page;

        // The CLI's backfill writes to the log the service reads: the open list picks its requests up as they come.
        var (exit, stdout, stderr) = _graph.Cli("backfill", "a/{1..3}", "--chunk", "2", "--json");
        Assert.True(exit == 0, stderr);
        var report = JsonNode.Parse(stdout)!;
        var backfillId = report["backfillId"]!.GetValue<string>();
        var requests = report["buildRequestIds"]!.AsArray().Select(r => r!.GetValue<string>()).ToArray();
        Assert.Equal(2, requests.Length);

        foreach (var request in requests)
            await Expect(page.Locator($"tr[data-build-request='{request}'] .tag[data-backfill='{backfillId}']")).ToHaveTextAsync($"backfill …{backfillId[^8..]}");
        await tab.ScreenshotAsync("builds-of-a-backfill");

        await page.GetByRole(AriaRole.Link, new() { Name = $"build request {requests[0]}" }).ClickAsync();
        await Expect(page.Locator($"dl.details [data-backfill='{backfillId}']")).ToHaveTextAsync(backfillId);
        await Expect(page.Locator("dl.details .badge")).ToHaveAttributeAsync("data-status", "BUILD_REQUEST_COMPLETED");

        // A build asked for from the page itself belongs to no backfill.
        var own = await service.SubmitBuild("a/9");
        await service.WaitForBuild(own);
        await tab.GoAsync($"#/builds/{own}");
        await Expect(page.Locator("dl.details .badge")).ToHaveAttributeAsync("data-status", "BUILD_REQUEST_COMPLETED");
        await Expect(page.Locator("dl.details [data-backfill]")).ToHaveCountAsync(0);
        tab.AssertOnlyOwnOriginAndNoErrors();
    }

    public void Dispose() => _graph.Dispose();
}
