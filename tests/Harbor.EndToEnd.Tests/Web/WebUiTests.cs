using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.EndToEnd.Tests.Updates;
using Harbor.Testing;
using Microsoft.Playwright;

namespace Harbor.EndToEnd.Tests.Web;

/// <summary>
/// The web UI in a real browser (Debian's chromium, headless) against the real controller, the real
/// agent on the real engine and a real registry. Each test saves screenshots of the pages it visits
/// under artifacts/ui-screenshots.
/// </summary>
public sealed class WebUiTests(WebDeployment stack, BrowserFixture browser) : IClassFixture<WebDeployment>, IClassFixture<BrowserFixture>
{
    private static readonly TimeSpan Live = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task Dashboard_AgentConnected_ShowsTheHostOnlineAndItsContainers_AndNewContainersLive()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var first = TestNames.Unique("ui-dash");
        await stack.RunAsync(first, release.OldTag);
        await stack.WaitForContainerAsync(first);
        var host = (await stack.Controller.GetHostsAsync()).Single(h => h.Id == stack.HostId);

        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/");
        var row = page.Locator("#hosts tbody tr", new() { HasText = host.Name });
        await Assertions.Expect(row).ToContainTextAsync("online");
        Assert.True(int.Parse(await page.Locator("#tile-hosts-online .value").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.True(int.Parse(await page.Locator("#tile-containers .value").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        // This deployment turns the scheduled checks off (tests start their own): the dashboard says so.
        await Assertions.Expect(page.Locator("#tile-next-check .value")).ToHaveTextAsync("off");
        await BrowserFixture.ScreenshotAsync(page, "dashboard");

        // The containers page, filtered by search, shows ours; a container started now appears without a reload.
        await BrowserFixture.GoToAsync(page, "/containers");
        await page.GetByLabel("Search name or image").FillAsync("ui-dash");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = first, Exact = true })).ToBeVisibleAsync();
        var second = TestNames.Unique("ui-dash");
        await stack.RunAsync(second, release.OldTag);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = second, Exact = true })).ToBeVisibleAsync(new() { Timeout = (float)Live.TotalMilliseconds });
        await BrowserFixture.ScreenshotAsync(page, "containers");

        await BrowserFixture.GoToAsync(page, "/hosts");
        await Assertions.Expect(page.Locator($"tr[data-host='{stack.HostId}']")).ToContainTextAsync("online");
        await BrowserFixture.ScreenshotAsync(page, "hosts");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Update_StartedFromTheContainerPage_ShowsItsStepsLiveUntilSuccess()
    {
        var (name, release) = await RunWithMovedTagAsync(UpdateDeployment.AppV2, "ui-update");
        var containerId = (await stack.Controller.GetJsonAsync<JsonElement>($"/api/v1/containers/{stack.HostId}/{name}")).GetProperty("id").GetString()!;
        var page = await browser.OpenAsync(stack.Controller.ApiAddress, $"/containers/{stack.HostId}/{name}");

        // A check from the UI finds the new digest; the button then names it.
        await page.GetByRole(AriaRole.Button, new() { Name = "Check now" }).ClickAsync();
        await Assertions.Expect(page.Locator("#available-digest")).ToHaveTextAsync(release.NewDigest, new() { Timeout = 20_000 });
        await BrowserFixture.ScreenshotAsync(page, "container-detail");
        await page.Locator("#update-now").ClickAsync();

        // The job page follows the job live: a step is seen running before the job succeeds.
        await page.WaitForURLAsync("**/jobs/*");
        await Assertions.Expect(page.Locator("#steps li[data-state=running]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await BrowserFixture.ScreenshotAsync(page, "job-running");
        await Assertions.Expect(page.Locator("#job-outcome")).ToContainTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#steps li[data-step=verify][data-state=done]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#job-facts")).ToContainTextAsync(release.NewDigest);
        await BrowserFixture.ScreenshotAsync(page, "job-succeeded");
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));

        // The container's page shows the job in its history; the rollback button is now offered.
        await BrowserFixture.GoToAsync(page, $"/containers/{stack.HostId}/{name}");
        await Assertions.Expect(page.Locator("#history")).ToContainTextAsync("succeeded");
        await Assertions.Expect(page.Locator("#rollback")).ToBeEnabledAsync();

        // Roll back from the page too; every change made here is in the audit log as the API would have written it.
        await page.Locator("#rollback").ClickAsync();
        await page.WaitForURLAsync("**/jobs/*");
        var rollback = await stack.Controller.WaitForJobAsync(page.Url[(page.Url.LastIndexOf('/') + 1)..], TimeSpan.FromSeconds(60));
        Assert.Equal(("rollback", "succeeded"), (rollback.Kind, rollback.Outcome));
        await page.Context.CloseAsync();
        await UiAuditRowAsync("StartCheck", $"hostId={stack.HostId} containerId={containerId}");
        await UiAuditRowAsync("UpdateContainer", $"hostId={stack.HostId} container={name}");
        await UiAuditRowAsync("RollbackContainer", $"hostId={stack.HostId} container={name}");
    }

    [Fact]
    public async Task ContainersAndRulesPages_Changes_AreAuditedUnderTheApisActionAndTarget()
    {
        var (name, release) = await RunWithMovedTagAsync(UpdateDeployment.AppV2, "ui-bulk");
        var containerId = (await stack.Controller.GetJsonAsync<JsonElement>($"/api/v1/containers/{stack.HostId}/{name}")).GetProperty("id").GetString()!;
        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/containers");
        await page.GetByLabel("Search name or image").FillAsync(name);
        await page.GetByLabel($"Select {name}", new() { Exact = true }).CheckAsync();
        await page.Locator("#check-selected").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = $"Select {name}" })).ToContainTextAsync("update available", new() { Timeout = 20_000 });

        // The page's check reads exactly as the same check over the API.
        var fromPage = await UiAuditRowAsync("StartCheck", $"hostId={stack.HostId} containerId={containerId}");
        using (var check = await stack.Controller.PostJsonAsync("/api/v1/checks", new { hostId = stack.HostId, containerId = name }))
        {
            await ControllerHost.EnsureSuccessAsync(check, "start a check over the API");
        }

        var fromApi = (await stack.Controller.GetJsonAsync<ApiPage<JsonElement>>($"/api/v1/audit?action=StartCheck&target={containerId}")).Items
            .First(e => e.GetProperty("actorKind").GetString() == "api_key");
        Assert.Equal(fromApi.GetProperty("target").GetString(), fromPage.GetProperty("target").GetString());

        await Eventually.TrueAsync(
            async () => (await stack.Controller.GetJsonAsync<JsonElement>($"/api/v1/containers/{stack.HostId}/{name}")).GetProperty("update").GetProperty("status").GetString() == "update-available",
            TimeSpan.FromSeconds(30), "the check finds the update");
        await BrowserFixture.GoToAsync(page, "/containers");
        await page.GetByLabel("Search name or image").FillAsync(name);
        await page.GetByLabel($"Select {name}", new() { Exact = true }).CheckAsync();
        await page.Locator("#update-selected").ClickAsync();
        await page.WaitForURLAsync("**/jobs/*");
        var job = await stack.Controller.WaitForJobAsync(page.Url[(page.Url.LastIndexOf('/') + 1)..], TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", job.Outcome);
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        await UiAuditRowAsync("UpdateContainer", $"hostId={stack.HostId} container={name}");

        // A rule saved, changed and deleted on the Rules page (matching no container, so the shared stack is unchanged).
        var rule = TestNames.Unique("ui-rule");
        await BrowserFixture.GoToAsync(page, "/rules");
        await page.Locator("#rule-name").FillAsync(rule);
        await page.Locator("#rule-scope").SelectOptionAsync("container");
        await page.Locator("#rule-scope-value").FillAsync(rule + "-matches-nothing-*");
        await page.Locator("#rule-field-0").SelectOptionAsync("mode");
        await page.Locator("#rule-value-0").FillAsync("notify");
        await page.Locator("#rule-save").ClickAsync();
        await Assertions.Expect(page.GetByText($"Rule '{rule}'")).ToBeVisibleAsync();
        var rules = await stack.Controller.GetJsonAsync<List<JsonElement>>("/api/v1/policy/rules");
        var ruleId = rules.Single(r => r.GetProperty("name").GetString() == rule).GetProperty("id").GetInt64();
        var created = await UiAuditRowAsync("CreatePolicyRule", $"id={ruleId}");
        Assert.Equal("web ui: " + rule, created.GetProperty("detail").GetString());

        await page.Locator($"#rule-edit-{ruleId}").ClickAsync();
        await Assertions.Expect(page.Locator("#rule-editor-title")).ToHaveTextAsync($"Edit rule '{rule}'");
        await Assertions.Expect(page.Locator("#rule-value-0")).ToHaveValueAsync("notify");
        await page.Locator("#rule-value-0").FillAsync("approve");
        await page.Locator("#rule-add-setting").ClickAsync();
        await page.Locator("#rule-field-1").SelectOptionAsync("minAge");
        await page.Locator("#rule-value-1").FillAsync("24h");
        await page.Locator("#rule-save").ClickAsync();
        await Assertions.Expect(page.Locator("#rule-saved")).ToContainTextAsync("changed");
        await Assertions.Expect(page.Locator($"#rules tr[data-rule='{ruleId}']")).ToContainTextAsync("mode=approve, minAge=24h");
        var changed = await stack.Controller.GetJsonAsync<JsonElement>($"/api/v1/policy/rules/{ruleId}");
        Assert.Equal(("approve", "24h"), (changed.GetProperty("settings").GetProperty("mode").GetString(), changed.GetProperty("settings").GetProperty("minAge").GetString()));
        await UiAuditRowAsync("UpdatePolicyRule", $"id={ruleId}");
        await BrowserFixture.ScreenshotAsync(page, "rules-edited");

        await page.Locator($"#rule-delete-{ruleId}").ClickAsync();
        await Assertions.Expect(page.Locator("#rule-delete-confirm")).ToContainTextAsync(rule);
        await page.Locator("#rule-delete-now").ClickAsync();
        await Assertions.Expect(page.Locator("#rule-saved")).ToContainTextAsync("deleted");
        await Assertions.Expect(page.Locator($"#rules tr[data-rule='{ruleId}']")).ToHaveCountAsync(0);
        using (var gone = await stack.Controller.Api.GetAsync($"/api/v1/policy/rules/{ruleId}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
        }

        await UiAuditRowAsync("DeletePolicyRule", $"id={ruleId}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Update_WithAStabilityWindow_JobPageCountsTheWindowDownLive_ThenShowsWhatPassed()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("ui-countdown");
        await stack.RunAsync(name, release.OldTag);
        var job = await stack.StartUpdateAsync(name, new { targetDigest = release.NewDigest, verify = new { stabilityWindowSeconds = 20 } });

        var page = await browser.OpenAsync(stack.Controller.ApiAddress, $"/jobs/{job.Id}");
        await Assertions.Expect(page.Locator("#verification-phase")).ToHaveTextAsync("Must keep running", new() { Timeout = 30_000 });
        var remaining = page.Locator("#verification-remaining");
        await Assertions.Expect(remaining).ToHaveAttributeAsync("role", "timer");
        await Assertions.Expect(remaining).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ s more$"));
        var first = await SecondsLeftAsync(remaining);
        Assert.InRange(first, 3, 20);
        await BrowserFixture.ScreenshotAsync(page, "job-verifying");

        // Without a reload the figure goes down by the seconds that pass (the page reads the server's clock; slack for a loaded machine).
        await page.WaitForTimeoutAsync(2_500);
        var later = await SecondsLeftAsync(remaining);
        Assert.InRange(later, first - 6, first - 1);

        await Assertions.Expect(page.Locator("#job-outcome")).ToContainTextAsync("Succeeded", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("#verification-countdown")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#verification-result")).ToHaveTextAsync("passed: kept running for 20 s");
        await BrowserFixture.ScreenshotAsync(page, "job-verified");
        var finished = await stack.Controller.GetJobAsync(job.Id);
        Assert.Equal(("stability", 20_000L), (finished.Verification?.Kind, finished.Verification?.WindowMs));
        await page.Context.CloseAsync();
    }

    /// <summary>The figure the user reads: "17 s more" → 17.</summary>
    private static async Task<int> SecondsLeftAsync(ILocator remaining)
    {
        var text = await remaining.InnerTextAsync();
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^(\d+) s more$");
        Assert.True(match.Success, $"the countdown reads '{text}'");
        return int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task Update_ToACrashingRelease_ShowsTheRollbackAndItsReason()
    {
        var (name, release) = await RunWithMovedTagAsync(UpdateDeployment.Exits, "ui-broken");
        var page = await browser.OpenAsync(stack.Controller.ApiAddress, $"/containers/{stack.HostId}/{name}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check now" }).ClickAsync();
        await Assertions.Expect(page.Locator("#available-digest")).ToHaveTextAsync(release.NewDigest, new() { Timeout = 20_000 });
        await page.Locator("#update-now").ClickAsync();

        await page.WaitForURLAsync("**/jobs/*");
        await Assertions.Expect(page.Locator("#job-outcome")).ToContainTextAsync("Rolled back", new() { Timeout = 60_000 });
        var jobId = page.Url[(page.Url.LastIndexOf('/') + 1)..];
        var job = await stack.Controller.GetJobAsync(jobId);
        Assert.Equal("rolled_back", job.Outcome);
        var reason = job.Reason ?? job.RollbackReason;
        Assert.False(string.IsNullOrWhiteSpace(reason));
        await Assertions.Expect(page.Locator("#job-reason")).ToHaveTextAsync(reason!);
        await Assertions.Expect(page.Locator("#steps li[data-state=failed]")).Not.ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "job-rolled-back");
        Assert.Equal(release.OldImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));

        // The dashboard lists it among recent failures and rollbacks.
        await BrowserFixture.GoToAsync(page, "/");
        await Assertions.Expect(page.Locator("#jobs-failed")).ToContainTextAsync(name);
        await BrowserFixture.ScreenshotAsync(page, "dashboard-after-rollback");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pages_InDarkMode_RenderWithoutErrors()
    {
        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/", scheme: ColorScheme.Dark);
        var errors = new List<string>();
        page.PageError += (_, error) => errors.Add(error);
        foreach (var (path, shot) in new[] { ("/", "dark-dashboard"), ("/containers", "dark-containers"), ("/jobs", "dark-jobs"), ("/rules", "dark-rules"), ("/hosts", "dark-hosts") })
        {
            await BrowserFixture.GoToAsync(page, path);
            await BrowserFixture.ScreenshotAsync(page, shot);
        }

        // An unknown job is a readable message, not an error page.
        await BrowserFixture.GoToAsync(page, "/jobs/no-such-job");
        await Assertions.Expect(page.GetByText("Job not found")).ToBeVisibleAsync();
        Assert.Empty(errors);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Viewer_SeesNoCheckUpdateOrRollbackButtons_AndTheServerRefusesThem()
    {
        var viewer = TestNames.Unique("viewer");
        await stack.Controller.CreateUserAsync(viewer, WebDeployment.ViewerPassword, "viewer");
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("ui-viewer");
        await stack.RunAsync(name, release.OldTag);
        await stack.WaitForContainerAsync(name);

        var page = await browser.OpenAsync(stack.Controller.ApiAddress, $"/containers/{stack.HostId}/{name}", viewer, WebDeployment.ViewerPassword);
        await Assertions.Expect(page.Locator("#signed-in-user")).ToHaveTextAsync(viewer);
        await Assertions.Expect(page.Locator("#read-only")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#image-facts")).ToContainTextAsync(release.OldTag);
        foreach (var button in new[] { "Check now", "Update", "Roll back" })
        {
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = button })).ToHaveCountAsync(0);
        }

        await BrowserFixture.ScreenshotAsync(page, "viewer-container");
        await BrowserFixture.GoToAsync(page, "/containers");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Update selected" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Check selected" })).ToHaveCountAsync(0);

        // The same user on the API, with a valid session and CSRF token, is refused too.
        using var session = await stack.Controller.SignInAsync(viewer, WebDeployment.ViewerPassword);
        using var update = await session.PostAsJsonAsync($"/api/v1/containers/{stack.HostId}/{name}/update", new { }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, update.StatusCode);
        Assert.Equal("running", await UpdateDeployment.InspectAsync(name, "{{.State.Status}}"));
        Assert.Equal(release.OldImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Pages_WithoutSession_RedirectToSignIn_ApiStill401_AndFormsNeedTheirAntiforgeryToken()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = stack.Controller.ApiAddress };
        using (var dashboard = await anonymous.GetAsync("/containers?status=error", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Redirect, dashboard.StatusCode);
            Assert.Equal("/login?returnUrl=%2Fcontainers%3Fstatus%3Derror", dashboard.Headers.Location?.OriginalString);
        }

        using (var api = await anonymous.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        }

        // A signed-in browser session posting the sign-out form without the form's antiforgery token
        // (what a cross-site form would do) is refused, and the session stays valid.
        using var session = await stack.Controller.SignInAsync(ControllerHost.AdminUserName, ControllerHost.AdminPassword);
        using (var forged = await session.PostAsync("/logout", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "logout" }), TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        }

        using (var me = await session.GetAsync("/api/v1/auth/me", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        }

        // A wrong password on the sign-in page says so, and signs nobody in.
        var context = await browser.Browser.NewContextAsync(new() { BaseURL = stack.Controller.ApiAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/login");
        await page.GetByLabel("User name").FillAsync(ControllerHost.AdminUserName);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#login-error")).ToHaveTextAsync("Invalid user name or password.");
        await BrowserFixture.ScreenshotAsync(page, "login-failed");

        // Signing in and out through the pages works end to end.
        await page.GetByLabel("User name").FillAsync(ControllerHost.AdminUserName);
        await page.GetByLabel("Password").FillAsync(ControllerHost.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-in-user")).ToHaveTextAsync(ControllerHost.AdminUserName);
        await page.Locator("#sign-out").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        // The URL, then the sign-in form: not the page's load event, which CI once waited 30 s for after the redirect.
        await page.WaitForURLAsync("**/login", new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByLabel("User name")).ToBeVisibleAsync();
        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForURLAsync("**/login?returnUrl=*", new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.GetByLabel("User name")).ToBeVisibleAsync();
        await context.CloseAsync();
    }

    [Fact]
    public async Task ContainersPage_ApproveSelected_ApprovesEachPendingUpdate_JobsRunToSuccess_Audited()
    {
        var prefix = TestNames.Unique("ui-bulk-approve");
        var first = await RunWithMovedTagAsync(UpdateDeployment.AppV2, prefix + "-a", "-l", "harbor.policy=approve");
        var second = await RunWithMovedTagAsync(UpdateDeployment.AppV2, prefix + "-b", "-l", "harbor.policy=approve");
        using (var check = await stack.Controller.PostJsonAsync("/api/v1/checks", new { hostId = stack.HostId }))
        {
            await ControllerHost.EnsureSuccessAsync(check, "start a check");
        }

        foreach (var name in new[] { first.Name, second.Name })
        {
            await Eventually.TrueAsync(
                async () => (await stack.Controller.GetJsonAsync<JsonElement>($"/api/v1/containers/{stack.HostId}/{name}")).GetProperty("update").GetProperty("status").GetString() == "update-available",
                TimeSpan.FromSeconds(30), $"the check finds the update of {name}");
        }

        using (var evaluate = await stack.Controller.PostJsonAsync("/api/v1/automation/evaluate"))
        {
            await ControllerHost.EnsureSuccessAsync(evaluate, "run the automation engine");
        }

        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/containers");
        await page.GetByLabel("Search name or image").FillAsync(prefix);
        await Assertions.Expect(page.Locator(".approval-pending")).ToHaveCountAsync(2, new() { Timeout = (float)Live.TotalMilliseconds });
        await page.GetByLabel("Select every shown container").CheckAsync();
        var approve = page.Locator("#approve-selected");
        await Assertions.Expect(approve).ToContainTextAsync("(2 pending)");
        await BrowserFixture.ScreenshotAsync(page, "containers-approve-selected");
        await approve.ClickAsync();
        await Assertions.Expect(page.GetByText("2 update(s) approved and started")).ToBeVisibleAsync();

        var approvals = (await stack.Controller.GetJsonAsync<List<ApiApproval>>($"/api/v1/approvals?state=approved&host={stack.HostId}"))
            .Where(a => a.ContainerName.Contains(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, approvals.Count);
        foreach (var approval in approvals)
        {
            var job = await stack.Controller.WaitForJobAsync(approval.JobId!, TimeSpan.FromSeconds(90));
            Assert.Equal("succeeded", job.Outcome);
            await UiAuditRowAsync("ApproveUpdate", $"id={approval.Id}");
        }

        Assert.Equal(first.Release.NewImageId, await UpdateDeployment.InspectAsync(first.Name, "{{.Image}}"));
        Assert.Equal(second.Release.NewImageId, await UpdateDeployment.InspectAsync(second.Name, "{{.Image}}"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Approval_ForAContainerWithPolicyApprove_AppearsLive_ApprovedInTheUi_JobRunsToSuccess()
    {
        var (name, release) = await RunWithMovedTagAsync(UpdateDeployment.AppV2, "ui-approve", "-l", "harbor.policy=approve");
        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/approvals");
        await BrowserFixture.ScreenshotAsync(page, "approvals-empty");

        // The check finds the new digest; the engine asks for approval; the open page shows it without a reload.
        using (var check = await stack.Controller.PostJsonAsync("/api/v1/checks", new { hostId = stack.HostId }))
        {
            await ControllerHost.EnsureSuccessAsync(check, "start a check");
        }

        await Eventually.TrueAsync(
            async () => (await stack.Controller.GetJsonAsync<System.Text.Json.JsonElement>($"/api/v1/containers/{stack.HostId}/{name}")).GetProperty("update").GetProperty("status").GetString() == "update-available",
            TimeSpan.FromSeconds(30), "the check finds the update");
        using (var evaluate = await stack.Controller.PostJsonAsync("/api/v1/automation/evaluate"))
        {
            await ControllerHost.EnsureSuccessAsync(evaluate, "run the automation engine");
        }

        var row = page.Locator($"#pending-approvals tr[data-container='{name}']");
        await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = (float)Live.TotalMilliseconds });
        await Assertions.Expect(row).ToContainTextAsync(release.NewDigest[..19]);
        await Assertions.Expect(row.Locator(".countdown")).ToContainTextAsync("d ");
        await BrowserFixture.ScreenshotAsync(page, "approvals-pending");

        // A viewer sees the same approval without the buttons.
        var viewer = TestNames.Unique("approver-viewer");
        await stack.Controller.CreateUserAsync(viewer, WebDeployment.ViewerPassword, "viewer");
        var viewerPage = await browser.OpenAsync(stack.Controller.ApiAddress, "/approvals", viewer, WebDeployment.ViewerPassword);
        await Assertions.Expect(viewerPage.Locator($"#pending-approvals tr[data-container='{name}']")).ToBeVisibleAsync();
        await Assertions.Expect(viewerPage.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
        await Assertions.Expect(viewerPage.Locator("#read-only")).ToBeVisibleAsync();
        await viewerPage.Context.CloseAsync();

        await row.GetByLabel($"Reason for {name}").FillAsync("tested on staging");
        await row.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(page.Locator("#approval-result")).ToContainTextAsync($"Approved: {name} is updating.");
        await Assertions.Expect(page.Locator($"#decided-approvals tr", new() { HasText = "tested on staging" })).ToContainTextAsync("approved");
        await BrowserFixture.ScreenshotAsync(page, "approvals-approved");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "approvals-phone");

        var approval = (await stack.Controller.GetJsonAsync<List<ApiApproval>>($"/api/v1/approvals?state=approved&host={stack.HostId}")).Single(a => a.ContainerName == name);
        Assert.Equal((ControllerHost.AdminUserName, "tested on staging"), (approval.DecidedBy, approval.Comment));
        await UiAuditRowAsync("ApproveUpdate", $"id={approval.Id}");
        var job = await stack.Controller.WaitForJobAsync(approval.JobId!, TimeSpan.FromSeconds(60));
        Assert.Equal("succeeded", job.Outcome);
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Settings_DefaultScheduleAndRetention_SavedByAnAdmin_PersistAndAreAudited_ViewerReadOnly()
    {
        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/settings");
        await Assertions.Expect(page.Locator("#features tr[data-flag=enable_rbac]")).ToContainTextAsync("on");

        // Notify stays the mode (other tests share this controller); the schedule changes.
        await page.Locator("input[value=notify]").CheckAsync();
        await page.Locator("#behaviour-schedule").FillAsync("45m");
        await page.Locator("#behaviour-save").ClickAsync();
        await Assertions.Expect(page.Locator("#settings-result")).ToContainTextAsync("Default behaviour saved.");

        await page.Locator("#retention-jobDays").FillAsync("-3");
        await page.Locator("#retention-save").ClickAsync();
        await Assertions.Expect(page.Locator("#retention-jobDays-error")).ToContainTextAsync("from 0 (keep forever)");
        await page.Locator("#retention-jobDays").FillAsync("400");
        await page.Locator("#retention-auditDays").FillAsync("730");
        await page.Locator("#retention-save").ClickAsync();
        await Assertions.Expect(page.Locator("#settings-result")).ToContainTextAsync("Retention saved.");
        await BrowserFixture.ScreenshotAsync(page, "settings");

        // A reload reads them back from the database.
        await BrowserFixture.GoToAsync(page, "/settings");
        await Assertions.Expect(page.Locator("#behaviour-schedule")).ToHaveValueAsync("45m");
        await Assertions.Expect(page.Locator("#retention-jobDays")).ToHaveValueAsync("400");
        await Assertions.Expect(page.Locator("#retention-auditDays")).ToHaveValueAsync("730");
        await page.SetViewportSizeAsync(390, 844);
        await BrowserFixture.ScreenshotAsync(page, "settings-phone");
        await page.Context.CloseAsync();

        var audit = await stack.Controller.GetJsonAsync<System.Text.Json.JsonElement>("/api/v1/audit?action=SetRetention");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("detail").GetString()!.Contains("jobDays=400", StringComparison.Ordinal)
            && e.GetProperty("actorName").GetString() == ControllerHost.AdminUserName);

        var viewer = TestNames.Unique("settings-viewer");
        await stack.Controller.CreateUserAsync(viewer, WebDeployment.ViewerPassword, "viewer");
        var viewerPage = await browser.OpenAsync(stack.Controller.ApiAddress, "/settings", viewer, WebDeployment.ViewerPassword);
        await Assertions.Expect(viewerPage.Locator("#read-only")).ToBeVisibleAsync();
        await Assertions.Expect(viewerPage.Locator("#behaviour-facts")).ToContainTextAsync("45m");
        await Assertions.Expect(viewerPage.GetByRole(AriaRole.Button, new() { Name = "Save retention" })).ToHaveCountAsync(0);
        await Assertions.Expect(viewerPage.Locator("#retention-jobDays")).ToBeDisabledAsync();
        await viewerPage.Context.CloseAsync();
    }

    /// <summary>The audit row a page wrote for a change: the API's action and target, the signed-in admin as a user, "web ui" in the detail.</summary>
    private async Task<JsonElement> UiAuditRowAsync(string action, string target)
    {
        var rows = await Eventually.GetAsync(
            async () => (await stack.Controller.GetJsonAsync<ApiPage<JsonElement>>($"/api/v1/audit?action={action}&target={Uri.EscapeDataString(target)}")).Items
                .Where(e => e.GetProperty("target").GetString() == target && e.GetProperty("actorKind").GetString() == "user").ToList(),
            found => found.Count > 0, TimeSpan.FromSeconds(10), $"the audit row {action} {target}");
        var row = Assert.Single(rows);
        Assert.Equal((ControllerHost.AdminUserName, "success"), (row.GetProperty("actorName").GetString(), row.GetProperty("outcome").GetString()));
        Assert.StartsWith("web ui", row.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return row;
    }

    /// <summary>
    /// Runs the old release under a fresh name, then moves tag 1 in the registry to the new image (the
    /// publisher's usual "latest moved"), so that a check finds an update for it.
    /// </summary>
    private async Task<(string Name, Release Release)> RunWithMovedTagAsync(string newDockerfile, string prefix, params string[] runArguments)
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, newDockerfile);
        var name = TestNames.Unique(prefix);
        await stack.RunAsync(name, [.. runArguments, release.OldTag]);
        await stack.WaitForContainerAsync(name);
        var repository = release.Repository[(stack.Registry.Host.Length + 1)..];
        Assert.Equal(release.NewDigest, await stack.Registry.PushAsync(release.NewImageId, repository, "1"));
        await DockerCli.CheckedAsync("tag", release.OldImageId, release.OldTag);
        return (name, release);
    }
}
