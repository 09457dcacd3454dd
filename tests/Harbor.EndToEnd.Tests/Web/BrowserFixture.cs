using Harbor.Testing;
using Microsoft.Playwright;

namespace Harbor.EndToEnd.Tests.Web;

/// <summary>
/// One headless chromium per test class, driven by Playwright. It is Debian's <c>chromium</c>
/// (eng/test.sh installs it): Playwright never downloads a browser here. Tests skip when it is
/// missing, unless HARBOR_REQUIRE_BROWSER=1.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots go: artifacts/ui-screenshots (gitignored) at the repository root.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryPaths.Root, "artifacts", "ui-screenshots");

    public async ValueTask InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.SkipWhen(Environment.GetEnvironmentVariable("HARBOR_REQUIRE_BROWSER") != "1", $"{ChromiumPath} is missing (apt-get install chromium).");
            throw new FileNotFoundException("HARBOR_REQUIRE_BROWSER=1 but chromium is missing.", ChromiumPath);
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Directory.CreateDirectory(ScreenshotDirectory);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>
    /// A fresh browser context (own cookies) signed in through the sign-in page as this user, then on
    /// <paramref name="path"/> with its live connection up.
    /// </summary>
    public async Task<IPage> OpenAsync(Uri controller, string path, string userName = ControllerHost.AdminUserName,
        string password = ControllerHost.AdminPassword, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = controller.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ColorScheme = scheme,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        await page.GotoAsync(path);
        await page.WaitForURLAsync("**/login?returnUrl=*");
        await page.GetByLabel("User name").FillAsync(userName);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.Locator(".harbor-shell[data-interactive=true]").WaitForAsync();
        }
        catch (TimeoutException e)
        {
            await ScreenshotAsync(page, "failed-open-" + userName);
            throw new TimeoutException($"{path} as {userName} did not become interactive; the page shows: {await page.Locator("body").InnerTextAsync()}", e);
        }

        return page;
    }

    /// <summary>Navigates and waits until the page is interactive (its Blazor circuit is connected).</summary>
    public static async Task GoToAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        // Prerendered HTML shows first; buttons work once the live (SignalR) connection is up.
        await page.Locator(".harbor-shell[data-interactive=true]").WaitForAsync();
    }

    /// <summary>A full-page screenshot; animations are finished first, so a message bar that fades in is shown as the user reads it.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions
        {
            Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled,
        });

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
    }
}
