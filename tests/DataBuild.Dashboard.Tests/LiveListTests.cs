using DataBuild.Service.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataBuild.Dashboard.Tests;

[Collection(BrowserCollection.Name)]
public sealed class LiveListTests(Chromium chromium) : IDisposable
{
    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task A_live_update_of_a_list_keeps_the_link_the_user_is_about_to_click()
    {
        using var service = ServiceProcess.Start(_graph);
        var id = await service.SubmitBuild("a/slow1");
        await using var tab = await DashboardPage.OpenAsync(chromium, service, "#/builds");
        var page = tab.Page;
        var row = page.Locator($"tr[data-build-request='{id}']");
        await Expect(row.Locator(".badge")).ToHaveAttributeAsync("data-status", "BUILD_REQUEST_EXECUTING");

        // The row changes as the build ends and a new request pushes it down; its link is the same element throughout,
        // so a press on it while the list is read again is still a click.
        var linkBefore = await row.GetByRole(AriaRole.Link).ElementHandleAsync();
        _graph.Release();
        await Expect(row.Locator(".badge")).ToHaveAttributeAsync("data-status", "BUILD_REQUEST_COMPLETED");
        var second = await service.SubmitBuild("a/2");
        await Expect(page.Locator($"tr[data-build-request='{second}'] .badge")).ToHaveAttributeAsync("data-status", "BUILD_REQUEST_COMPLETED");
        Assert.Equal(id, await page.Locator("tbody tr").Nth(1).GetAttributeAsync("data-build-request"));
        Assert.True(await linkBefore.EvaluateAsync<bool>("a => a.isConnected"), "the row's link was replaced by a refresh");

        await linkBefore.ClickAsync();
        await Expect(page.Locator("dl.details .badge")).ToHaveAttributeAsync("data-status", "BUILD_REQUEST_COMPLETED");
        await Expect(page.Locator("tr[data-run] .badge")).ToHaveAttributeAsync("data-status", "JOB_COMPLETED");
        tab.AssertOnlyOwnOriginAndNoErrors();
    }

    public void Dispose() => _graph.Dispose();
}
