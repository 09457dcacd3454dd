using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Controller.Security.Mfa;
using Harbor.Testing;
using Microsoft.Playwright;

namespace Harbor.EndToEnd.Tests.Web;

/// <summary>
/// The first-run wizard in a real browser against a controller that has never been set up: from the
/// setup token in its log to the first real agent online, with MFA enrolment, a real registry login
/// test, the default behaviour, and resuming after the browser was closed mid-way.
/// </summary>
public sealed class SetupWizardTests(FirstRunDeployment stack, BrowserFixture browser) : IClassFixture<FirstRunDeployment>, IClassFixture<BrowserFixture>
{
    private const string AdminName = "first-admin";
    private const string AdminPassword = "a long first-run passphrase";

    [Fact]
    public async Task Wizard_FromSetupTokenToFirstAgentOnline_ThenRegistryAndDefaults_LandsOnTheDashboard()
    {
        var context = await NewContextAsync();
        var page = await context.NewPageAsync();

        // No admin yet: the dashboard sends the browser to the wizard.
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/setup");
        await BrowserFixture.ScreenshotAsync(page, "wizard-1-admin");

        // A wrong token is refused with a readable message, and the token is not spent by a typo.
        await page.Locator("#setup-token").FillAsync("hst_wrong");
        await page.Locator("#setup-user").FillAsync(AdminName);
        await page.Locator("#setup-password").FillAsync(AdminPassword);
        await page.Locator("#setup-password-again").FillAsync(AdminPassword);
        await page.Locator("#setup-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#setup-error")).ToContainTextAsync("The setup token is not valid");

        await page.Locator("#setup-token").FillAsync(stack.Controller.SetupTokenFromLog()!);
        await page.Locator("#setup-password").FillAsync(AdminPassword);
        await page.Locator("#setup-password-again").FillAsync(AdminPassword);
        await page.Locator("#setup-submit").ClickAsync();

        // Signed in as the new admin; enable_mfa is on, so two-factor sign-in is offered first.
        await page.WaitForURLAsync("**/setup/wizard");
        await WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#signed-in-user")).ToHaveTextAsync(AdminName);
        await Assertions.Expect(page.Locator("#wizard-step")).ToHaveAttributeAsync("data-step", "Mfa");
        await BrowserFixture.ScreenshotAsync(page, "wizard-2-mfa");
        await page.Locator("#mfa-code").FillAsync("000000");
        await page.Locator("#mfa-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#mfa-error")).ToContainTextAsync("does not match");
        var secret = await page.Locator("#mfa-secret").InnerTextAsync();
        await page.Locator("#mfa-code").FillAsync(TotpCodes.Compute(TotpCodes.FromBase32(secret), DateTimeOffset.UtcNow));
        await page.Locator("#mfa-confirm").ClickAsync();
        await Assertions.Expect(page.Locator("#recovery-codes li")).ToHaveCountAsync(10);
        var recoveryCode = await page.Locator("#recovery-codes li").First.InnerTextAsync();
        await page.Locator("#mfa-continue").ClickAsync();

        // The agent step shows the command with a fresh enrollment token.
        await Assertions.Expect(page.Locator("#wizard-step")).ToHaveAttributeAsync("data-step", "Agent");
        await Assertions.Expect(page.Locator("#agent-waiting")).ToBeVisibleAsync();
        var firstCommand = await page.Locator("#install-command").InnerTextAsync();
        await BrowserFixture.ScreenshotAsync(page, "wizard-3-agent-waiting");

        // Closing the browser mid-way: signing in again (second factor: a recovery code) offers to continue at the same step.
        await context.CloseAsync();
        context = await NewContextAsync();
        page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login?returnUrl=*");
        await page.GetByLabel("User name").FillAsync(AdminName);
        await page.Locator("#login-password").FillAsync(AdminPassword);
        await page.Locator("#login-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#login-code")).ToBeVisibleAsync();
        await page.GetByLabel("User name").FillAsync(AdminName);
        await page.Locator("#login-password").FillAsync(AdminPassword);
        await page.Locator("#login-code").FillAsync(recoveryCode);
        await page.Locator("#login-submit").ClickAsync();
        await WaitInteractiveAsync(page);
        await page.Locator("#setup-unfinished a").ClickAsync();
        await page.WaitForURLAsync("**/setup/wizard");
        await Assertions.Expect(page.Locator("#wizard-step")).ToHaveAttributeAsync("data-step", "Agent");
        var command = await page.Locator("#install-command").InnerTextAsync();
        Assert.NotEqual(firstCommand, command);

        // The container command first (the hub listens on loopback here, so it shares the host's network); the
        // checkout command below it carries the same token. Start the real agent with exactly what the page shows
        // for a checkout (tests/Harbor.EndToEnd.Tests/Packaging runs the container); the page sees it connect, live.
        var settings = ParseCommand((await page.Locator("#install-command-checkout").TextContentAsync())!);
        Assert.Equal(stack.Controller.AgentHubAddress.GetLeftPart(UriPartial.Authority), settings["Harbor__Agent__ControllerUrl"]);
        Assert.StartsWith("docker run -d --name harbor-agent", command, StringComparison.Ordinal);
        Assert.Contains("--network host", command, StringComparison.Ordinal);
        Assert.Contains($"-e Harbor__Agent__ControllerUrl={settings["Harbor__Agent__ControllerUrl"]} ", command, StringComparison.Ordinal);
        Assert.Contains($"-e Harbor__Agent__EnrollmentToken={settings["Harbor__Agent__EnrollmentToken"]} ", command, StringComparison.Ordinal);
        Assert.EndsWith("harbor/agent:0.1.0", command.TrimEnd(), StringComparison.Ordinal);
        stack.Agent = AgentProcess.Start(new Uri(settings["Harbor__Agent__ControllerUrl"]), stack.AgentDirectory, settings["Harbor__Agent__EnrollmentToken"]);
        await Assertions.Expect(page.Locator("#agent-connected")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        // Online comes first, the container snapshot right after it: the count follows live.
        await Assertions.Expect(page.Locator("#agent-containers")).Not.ToHaveTextAsync("0", new() { Timeout = 10_000 });
        var shown = int.Parse(await page.Locator("#agent-containers").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(shown >= 1, $"the agent reports at least our container, the page shows {shown}");
        await BrowserFixture.ScreenshotAsync(page, "wizard-4-agent-connected");
        await page.Locator("#agent-continue").ClickAsync();

        // Registry: a wrong password shows the registry's refusal; the right one logs in; then it is stored.
        await Assertions.Expect(page.Locator("#wizard-step")).ToHaveAttributeAsync("data-step", "Registry");
        await page.Locator("#registry-host").FillAsync(stack.Registry.Host);
        await page.Locator("#registry-user").FillAsync(FirstRunDeployment.RegistryUser);
        await page.Locator("#registry-secret").FillAsync("not the password");
        await page.Locator("#registry-test").ClickAsync();
        await Assertions.Expect(page.Locator("#registry-result")).ToContainTextAsync("refused the login");
        await BrowserFixture.ScreenshotAsync(page, "wizard-5-registry-refused");
        await page.Locator("#registry-secret").FillAsync(FirstRunDeployment.RegistryPassword);
        await page.Locator("#registry-test").ClickAsync();
        await Assertions.Expect(page.Locator("#registry-result")).ToContainTextAsync("Login works.");
        await page.Locator("#registry-save").ClickAsync();

        // Default behaviour: a bad schedule is explained; approval every 12 h is stored as the default rule.
        await Assertions.Expect(page.Locator("#wizard-step")).ToHaveAttributeAsync("data-step", "Behaviour");
        await page.Locator("input[value=approve]").CheckAsync();
        await page.Locator("#behaviour-schedule").FillAsync("every tuesday");
        await page.Locator("#behaviour-save").ClickAsync();
        await Assertions.Expect(page.Locator("#behaviour-schedule-error")).ToContainTextAsync("every tuesday");
        await page.Locator("#behaviour-schedule").FillAsync("12h");
        await BrowserFixture.ScreenshotAsync(page, "wizard-6-behaviour");
        await page.Locator("#behaviour-save").ClickAsync();

        await Assertions.Expect(page.Locator("#wizard-done")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "wizard-7-done");
        await page.Locator("#wizard-dashboard").ClickAsync();
        await page.WaitForURLAsync(stack.Controller.ApiAddress.ToString());
        await WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("#tile-hosts-online .value")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#setup-unfinished")).ToHaveCountAsync(0);

        // What the wizard stored is what the API reports.
        using var api = await BrowserSessionClientAsync(page);
        var credentials = await api.GetFromJsonAsync<List<JsonElement>>("/api/v1/registries/credentials", TestContext.Current.CancellationToken);
        Assert.Contains(credentials!, c => c.GetProperty("registry").GetString() == stack.Registry.Host && c.GetProperty("username").GetString() == FirstRunDeployment.RegistryUser);
        var rules = await api.GetFromJsonAsync<List<JsonElement>>("/api/v1/policy/rules", TestContext.Current.CancellationToken);
        var rule = Assert.Single(rules!);
        Assert.Equal(("approve", "12h"), (rule.GetProperty("settings").GetProperty("mode").GetString(), rule.GetProperty("settings").GetProperty("schedule").GetString()));

        // The same pages at phone width.
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.GoToAsync(page, "/setup/wizard");
        await page.WaitForTimeoutAsync(500);
        await BrowserFixture.ScreenshotAsync(page, "wizard-phone-done");
        await context.CloseAsync();
    }

    private async Task<IBrowserContext> NewContextAsync() =>
        await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = stack.Controller.ApiAddress.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            ColorScheme = ColorScheme.Light,
        });

    /// <summary>An API client on the browser's session cookie (GETs need no CSRF header).</summary>
    private async Task<HttpClient> BrowserSessionClientAsync(IPage page)
    {
        var api = new HttpClient { BaseAddress = stack.Controller.ApiAddress };
        var cookies = await page.Context.CookiesAsync();
        api.DefaultRequestHeaders.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Name}={c.Value}")));
        return api;
    }

    private static async Task WaitInteractiveAsync(IPage page) => await page.Locator(".harbor-shell[data-interactive=true]").WaitForAsync();

    /// <summary>NAME=value lines of the shown command (the last line is the program).</summary>
    private static Dictionary<string, string> ParseCommand(string command) =>
        command.Split('\n')
            .Select(line => line.TrimEnd('\\', ' '))
            .Where(line => line.Contains('=', StringComparison.Ordinal))
            .ToDictionary(line => line[..line.IndexOf('=', StringComparison.Ordinal)], line => line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..]);
}
