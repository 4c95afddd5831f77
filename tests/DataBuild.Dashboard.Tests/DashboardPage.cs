using System.Text.RegularExpressions;
using DataBuild.Service.Tests;
using Microsoft.Playwright;

namespace DataBuild.Dashboard.Tests;

/// <summary>
/// A browser tab on a real service's dashboard. It records every request the page makes and every console error,
/// so a test can check that the page spoke to nobody but the service and broke no rule (a script error, a blocked
/// request, a content-security-policy violation); it saves screenshots under the test output's screenshots/.
/// </summary>
public sealed class DashboardPage : IAsyncDisposable
{
    public static readonly string ScreenshotFolder = Path.Combine(AppContext.BaseDirectory, "screenshots");

    private readonly IBrowserContext _context;
    private readonly List<string> _requests = [];
    private readonly List<string> _errors = [];

    private DashboardPage(IBrowserContext context, IPage page, ServiceProcess service)
    {
        _context = context;
        Page = page;
        Service = service;
    }

    public IPage Page { get; }

    public ServiceProcess Service { get; }

    public string Origin => Service.BaseAddress.GetLeftPart(UriPartial.Authority);

    public static async Task<DashboardPage> OpenAsync(Chromium chromium, ServiceProcess service, string hash = "")
    {
        var context = await chromium.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        context.SetDefaultTimeout(60_000);
        var page = await context.NewPageAsync();
        var tab = new DashboardPage(context, page, service);
        page.Request += (_, request) =>
        {
            lock (tab._requests) tab._requests.Add(request.Url);
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error") lock (tab._errors) tab._errors.Add(message.Text);
        };
        page.PageError += (_, error) =>
        {
            lock (tab._errors) tab._errors.Add(error);
        };
        await page.GotoAsync(tab.Origin + "/" + hash);
        return tab;
    }

    /// <summary>Goes to a route of the dashboard (the part after '#') without loading the page again.</summary>
    public async Task GoAsync(string hash)
    {
        await Page.EvaluateAsync("hash => { location.hash = hash; }", hash);
    }

    public ILocator Badge(string rowSelector) => Page.Locator($"{rowSelector} .badge");

    public async Task ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });
    }

    /// <summary>Every URL the page asked for is on the service's origin, and nothing went wrong in it but the <paramref name="expected"/> errors (patterns).</summary>
    public void AssertOnlyOwnOriginAndNoErrors(params string[] expected)
    {
        string[] requests, errors;
        lock (_requests) requests = [.. _requests];
        lock (_errors) errors = [.. _errors];
        Assert.NotEmpty(requests);
        Assert.All(requests, url => Assert.StartsWith(Origin + "/", url));
        // A cancelled long poll when a page goes is not an error of the page.
        var unexpected = errors.Where(e => !Regex.IsMatch(e, "AbortError|aborted", RegexOptions.IgnoreCase) && !expected.Any(x => Regex.IsMatch(e, x))).ToArray();
        Assert.True(unexpected.Length == 0, "the page reported errors:\n" + string.Join("\n", unexpected));
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
