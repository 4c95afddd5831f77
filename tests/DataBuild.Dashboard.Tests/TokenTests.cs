using DataBuild.Service.Tests;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace DataBuild.Dashboard.Tests;

[Collection(BrowserCollection.Name)]
public sealed class TokenTests(Chromium chromium) : IDisposable
{
    private const string Token = "dashboard-test-token-0123456789";

    private readonly ServiceGraph _graph = new();

    [Fact]
    public async Task With_a_token_file_the_page_loads_asks_for_the_token_once_and_keeps_it_for_the_tab()
    {
        using var service = ServiceProcess.Start(_graph, Token);
        using (var anonymous = new HttpClient { BaseAddress = service.BaseAddress })
        {
            // The page's own files hold no data and load without the token; the API does not answer without it.
            Assert.Equal(200, (int)(await anonymous.GetAsync("/")).StatusCode);
            Assert.Equal(200, (int)(await anonymous.GetAsync("/assets/main.js")).StatusCode);
            Assert.Equal(401, (int)(await anonymous.GetAsync("/api/v1/info")).StatusCode);
        }
        await using var tab = await DashboardPage.OpenAsync(chromium, service);
        var page = tab.Page;
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "This service needs a token" });
        await Expect(dialog).ToBeVisibleAsync();

        await dialog.GetByLabel("Token").FillAsync("not-the-token-at-all");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use token" }).ClickAsync();
        await Expect(dialog).ToContainTextAsync("did not accept");
        await tab.ScreenshotAsync("token-rejected");
        await dialog.GetByLabel("Token").FillAsync(Token);
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Use token" }).ClickAsync();
        await Expect(page.Locator("#graph-label")).ToHaveTextAsync("service_test");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(page.Locator("#live")).ToHaveTextAsync("live");
        Assert.Equal(Token, await page.EvaluateAsync<string>("() => sessionStorage.getItem('databuild.token')"));

        // Kept for the tab: a reload does not ask again.
        await page.ReloadAsync();
        await Expect(page.Locator("#graph-label")).ToHaveTextAsync("service_test");
        await Expect(dialog).ToBeHiddenAsync();
        // The browser reports each refused call; the page itself asked for the token instead of failing.
        tab.AssertOnlyOwnOriginAndNoErrors("status of 401");
    }

    public void Dispose() => _graph.Dispose();
}
