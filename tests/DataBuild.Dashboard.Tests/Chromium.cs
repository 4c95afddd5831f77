using Microsoft.Playwright;

namespace DataBuild.Dashboard.Tests;

/// <summary>
/// One headless chromium for the browser tests, driven by Microsoft.Playwright's own driver (it ships with the
/// package and needs no network). The browser is Debian's, installed by scripts/chromium.sh, which also says where
/// it is (DATABUILD_CHROMIUM); Playwright's browser download is never used. Each test gets a fresh context.
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    // Headless on a machine without a network: no sandbox (tests run as root in CI), no GPU, and none of the
    // background fetches (updates, sync, safe browsing) that would knock on closed doors.
    private static readonly string[] Arguments =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
    ];

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    public static string ExecutablePath
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("DATABUILD_CHROMIUM") is { Length: > 0 } given ? given : "/usr/bin/chromium";
            if (!File.Exists(path))
                throw new InvalidOperationException(
                    $"chromium is not at {path}: run `eval \"$(bash scripts/chromium.sh)\"` (it installs Debian's chromium when missing and sets DATABUILD_CHROMIUM)");
            return path;
        }
    }

    public async Task InitializeAsync()
    {
        // Conditions, not sleeps, and generous ones: the machine is small and shared (a service, its jobs, a browser).
        Assertions.SetDefaultExpectTimeout(60_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
            Args = Arguments,
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Chromium>
{
    // One browser, one test at a time: each test also runs a service, and the machine is small.
    public const string Name = "browser";
}
