using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.EndToEnd.Tests.Updates;
using Harbor.Testing;
using Microsoft.Playwright;

namespace Harbor.EndToEnd.Tests.Web;

/// <summary>
/// The admin pages in a real browser against the real controller (with its agent on the real engine):
/// registry credentials tested against a real registry with Basic authentication, API keys shown
/// once, and the audit export downloaded as the browser downloads it.
/// </summary>
public sealed class AdminPagesTests(WebDeployment stack, BrowserFixture browser) : IClassFixture<WebDeployment>, IClassFixture<BrowserFixture>
{
    private const string RegistryUser = "ui-tester";
    private const string RegistryPassword = "registry password for the ui";

    [Fact]
    public async Task Registries_TestLogin_AgainstABasicAuthRegistry_ShowsSuccess_ThenTheRegistrysRefusalOfAWrongPassword()
    {
        await using var basic = await RegistryServer.StartAsync(RegistryUser, RegistryPassword);
        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/registries");
        await page.Locator("#credential-registry").FillAsync(basic.Host);
        await page.Locator("#credential-username").FillAsync(RegistryUser);
        await page.Locator("#credential-secret").FillAsync(RegistryPassword);
        await page.Locator("#credential-save").ClickAsync();
        await Assertions.Expect(page.Locator("#registry-result")).ToContainTextAsync("Credential added");
        var row = page.Locator($"#credentials tr[data-registry='{basic.Host}']");
        await Assertions.Expect(row).ToContainTextAsync(RegistryUser);

        await row.GetByRole(AriaRole.Button, new() { Name = $"Test login to {basic.Host}" }).ClickAsync();
        await Assertions.Expect(page.Locator("#registry-result")).ToContainTextAsync("Login succeeded", new() { Timeout = 20_000 });
        await Assertions.Expect(row.Locator(".login-test")).ToContainTextAsync($"accepted the credentials of '{RegistryUser}'");
        await BrowserFixture.ScreenshotAsync(page, "registries-login-ok");

        // A wrong password: the registry's own refusal is shown, in its words.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Edit {basic.Host}" }).ClickAsync();
        await page.Locator("#credential-secret").FillAsync("not the password at all");
        await page.Locator("#credential-save").ClickAsync();
        await Assertions.Expect(page.Locator("#registry-result")).ToContainTextAsync("Credential changed");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Test login to {basic.Host}" }).ClickAsync();
        await Assertions.Expect(page.Locator("#registry-result")).ToContainTextAsync("Login failed", new() { Timeout = 20_000 });
        await Assertions.Expect(row.Locator(".login-test")).ToContainTextAsync($"refused the credentials of '{RegistryUser}'");
        await Assertions.Expect(row.Locator(".login-test")).ToContainTextAsync("401");
        await BrowserFixture.ScreenshotAsync(page, "registries-login-refused");

        // Secrets never reach the browser, and the registry contacted shows in the rate-limit table.
        var html = await page.ContentAsync();
        Assert.DoesNotContain(RegistryPassword, html);
        Assert.DoesNotContain("not the password at all", html);
        await BrowserFixture.GoToAsync(page, "/registries");
        await Assertions.Expect(page.Locator($"#rate-limits tr[data-registry='{basic.Host}']")).ToContainTextAsync("not reported");
        await Assertions.Expect(page.Locator("#webhooks")).ToContainTextAsync("/api/v1/webhooks/dockerhub/{secret}");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Hosts_AddAHost_ShowsTheDockerRunCommandWithAFreshPendingToken()
    {
        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/hosts");
        await page.Locator("#add-host").ClickAsync();
        var command = await page.Locator("#install-command").InnerTextAsync();

        Assert.StartsWith("docker run -d --name harbor-agent", command, StringComparison.Ordinal);
        Assert.Contains("-v /var/run/docker.sock:/var/run/docker.sock", command, StringComparison.Ordinal);
        Assert.Contains("-v harbor-agent:/var/lib/harbor-agent", command, StringComparison.Ordinal);
        Assert.Contains($"-e Harbor__Agent__ControllerUrl={stack.Controller.AgentHubAddress.GetLeftPart(UriPartial.Authority)} ", command, StringComparison.Ordinal);
        var token = System.Text.RegularExpressions.Regex.Match(command, @"Harbor__Agent__EnrollmentToken=(\S+)").Groups[1].Value;
        Assert.NotEmpty(token);
        Assert.Contains($"Harbor__Agent__EnrollmentToken={token} ", await page.Locator("#install-command-checkout").TextContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.ScreenshotAsync(page, "hosts-add-host");

        // A real single-use token, pending until an agent uses it.
        var tokens = await stack.Controller.GetJsonAsync<JsonElement>("/api/v1/agents/enrollment-tokens");
        Assert.Contains(tokens.EnumerateArray(), t => t.GetProperty("description").GetString() == "host added from the Hosts page" && t.GetProperty("status").GetString() == "pending");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Hosts_RevokeAnAgent_AfterConfirming_DisconnectsIt_KeepsItOut_AndIsAudited()
    {
        // A second real agent of its own, so the deployment's agent stays connected for the other tests.
        using var state = new TempDirectory("revoked-agent");
        var hostName = TestNames.Unique("revoked-host");
        await using var agent = AgentProcess.Start(stack.Controller.AgentHubAddress, state.Path, await stack.Controller.CreateEnrollmentTokenAsync(),
            new Dictionary<string, string> { ["Harbor__Agent__HostName"] = hostName });
        var host = await Eventually.GetAsync(
            async () => (await stack.Controller.GetHostsAsync()).FirstOrDefault(h => h.Name == hostName && h.Online),
            h => h is not null, TimeSpan.FromSeconds(30), "the second agent connects. Agent output:\n" + agent.Output);

        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/hosts");
        await page.Locator($"#revoke-{host!.Id}").ClickAsync();
        await Assertions.Expect(page.Locator("#revoke-confirm")).ToContainTextAsync(hostName);
        await page.Locator("#revoke-now").ClickAsync();
        await Assertions.Expect(page.Locator("#hosts-message")).ToContainTextAsync("cannot connect again");
        await Assertions.Expect(page.Locator($"#revoked-{host.Id}")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator($"#hosts tr[data-host='{host.Id}']")).ToContainTextAsync("offline", new() { Timeout = 15_000 });
        await BrowserFixture.ScreenshotAsync(page, "hosts-revoked");
        await page.Context.CloseAsync();

        // The agent keeps trying (it reconnects within a second) and stays out; the deployment's own agent is untouched.
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        var hosts = await stack.Controller.GetHostsAsync();
        Assert.False(hosts.Single(h => h.Id == host.Id).Online);
        Assert.True(hosts.Single(h => h.Id == stack.HostId).Online);
        var audit = await stack.Controller.GetJsonAsync<JsonElement>($"/api/v1/audit?action=RevokeAgent&target={Uri.EscapeDataString("agentId=" + host.Id)}");
        var row = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(("user", ControllerHost.AdminUserName, "success", $"agentId={host.Id}"),
            (row.GetProperty("actorKind").GetString(), row.GetProperty("actorName").GetString(), row.GetProperty("outcome").GetString(), row.GetProperty("target").GetString()));
    }

    [Fact]
    public async Task Hosts_EnrollmentToken_AddedThenRevokedAfterConfirming_IsRefusedByTheRealEnrollment_AndAudited()
    {
        // A credential with a history: enrolled with its own token, then revoked over the API.
        var agentId = "agent-" + Guid.NewGuid().ToString("N")[..12];
        var agentHost = TestNames.Unique("history-host");
        var usedToken = await stack.Controller.CreateEnrollmentTokenAsync();
        await TestAgentCredential.EnrollAsync(stack.Controller.AgentHubAddress, usedToken, agentId, agentHost);
        using (var revokeAgent = await stack.Controller.PostJsonAsync($"/api/v1/agents/{agentId}/revoke"))
        {
            Assert.Equal(HttpStatusCode.NoContent, revokeAgent.StatusCode);
        }

        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/hosts");
        var usedRow = page.Locator($"#enrollment-tokens tr[data-token='{usedToken.Split('.')[1]}']");
        await Assertions.Expect(usedRow).ToContainTextAsync("used");
        await Assertions.Expect(usedRow).ToContainTextAsync(agentHost);
        var credential = page.Locator($"#agent-credentials tr[data-agent='{agentId}']");
        await Assertions.Expect(credential).ToContainTextAsync("revoked");
        await Assertions.Expect(credential).ToContainTextAsync(agentHost);
        await Assertions.Expect(credential).ToContainTextAsync("by ");
        // Enrolled but never connected: no last use. The deployment's own agent connected from this machine.
        await Assertions.Expect(credential.Locator("td").Nth(4)).ToHaveTextAsync("—");
        var active = page.Locator($"#agent-credentials tr[data-agent='{stack.HostId}']").First;
        await Assertions.Expect(active).ToContainTextAsync("active");
        await Assertions.Expect(active).ToContainTextAsync("from 127.0.0.1");

        // "Add a host": the new token is listed at once as unused, created by the admin; its secret is not on the page.
        await page.Locator("#add-host").ClickAsync();
        var command = await page.Locator("#install-command").InnerTextAsync();
        var token = System.Text.RegularExpressions.Regex.Match(command, @"Harbor__Agent__EnrollmentToken=(\S+)").Groups[1].Value;
        var (tokenId, secret) = (token.Split('.')[1], token.Split('.')[2]);
        var row = page.Locator($"#enrollment-tokens tr[data-token='{tokenId}']");
        await Assertions.Expect(row).ToContainTextAsync("unused");
        await Assertions.Expect(row).ToContainTextAsync("by " + ControllerHost.AdminUserName);
        Assert.DoesNotContain(secret, await page.Locator("#enrollment-tokens").InnerHTMLAsync(), StringComparison.Ordinal);

        await page.Locator($"#revoke-token-{tokenId}").ClickAsync();
        await Assertions.Expect(page.Locator("#token-revoke-confirm")).ToContainTextAsync(tokenId);
        await page.Locator("#token-revoke-now").ClickAsync();
        await Assertions.Expect(page.Locator("#hosts-message")).ToContainTextAsync("Enrollment token revoked");
        await Assertions.Expect(row).ToContainTextAsync("revoked");
        // The state cell, not the "Created … by admin" one.
        await Assertions.Expect(row.Locator("td").Nth(3)).ToContainTextAsync("by " + ControllerHost.AdminUserName);
        await Assertions.Expect(page.Locator($"#revoke-token-{tokenId}")).ToHaveCountAsync(0);
        await BrowserFixture.ScreenshotAsync(page, "hosts-enrollment-tokens");
        await page.Context.CloseAsync();

        // The real enrollment with that token is refused, in words.
        var refused = await Assert.ThrowsAsync<Grpc.Core.RpcException>(() =>
            TestAgentCredential.EnrollAsync(stack.Controller.AgentHubAddress, token, "agent-" + Guid.NewGuid().ToString("N")[..12]));
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("revoked", refused.Status.Detail, StringComparison.Ordinal);
        var tokens = await stack.Controller.GetJsonAsync<JsonElement>("/api/v1/agents/enrollment-tokens");
        var listed = tokens.EnumerateArray().Single(t => t.GetProperty("id").GetString() == tokenId);
        Assert.Equal(("revoked", "user:" + ControllerHost.AdminUserName), (listed.GetProperty("status").GetString(), listed.GetProperty("revokedBy").GetString()));

        var audit = await stack.Controller.GetJsonAsync<JsonElement>($"/api/v1/audit?action=RevokeEnrollmentToken&target={Uri.EscapeDataString("tokenId=" + tokenId)}");
        var entry = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(("user", ControllerHost.AdminUserName, "success", $"tokenId={tokenId}", "web ui"),
            (entry.GetProperty("actorKind").GetString(), entry.GetProperty("actorName").GetString(), entry.GetProperty("outcome").GetString(),
             entry.GetProperty("target").GetString(), entry.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Hosts_Viewer_SeesNoTokensOrCredentials_AndTheApiRefusesRevokingAToken()
    {
        var viewer = TestNames.Unique("hosts-viewer");
        await stack.Controller.CreateUserAsync(viewer, WebDeployment.ViewerPassword, "viewer");
        var tokenId = (await stack.Controller.CreateEnrollmentTokenAsync()).Split('.')[1];

        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/hosts", viewer, WebDeployment.ViewerPassword);
        await Assertions.Expect(page.Locator($"#hosts tr[data-host='{stack.HostId}']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#enrollment-tokens")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#agent-credentials")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#add-host")).ToHaveCountAsync(0);
        Assert.DoesNotContain(tokenId, await page.ContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();

        using var session = await stack.Controller.SignInAsync(viewer, WebDeployment.ViewerPassword);
        using var revoke = await session.DeleteAsync($"/api/v1/agents/enrollment-tokens/{tokenId}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, revoke.StatusCode);
        var tokens = await stack.Controller.GetJsonAsync<JsonElement>("/api/v1/agents/enrollment-tokens");
        Assert.Equal("pending", tokens.EnumerateArray().Single(t => t.GetProperty("id").GetString() == tokenId).GetProperty("status").GetString());
    }

    [Fact]
    public async Task WebhookSecret_RotatedInTheUi_ShowsTheNewSecretOnceWithCopy_OldRefusedNewAccepted()
    {
        const string push = "{\"push_data\":{\"tag\":\"1\"},\"repository\":{\"repo_name\":\"someone/app\"}}";
        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/registries");
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        await page.Locator("#webhook-reveal").ClickAsync();
        var old = await page.Locator("#webhook-secret").InnerTextAsync();
        Assert.Equal(HttpStatusCode.Accepted, await DeliverAsync(old));

        await page.Locator("#webhook-rotate").ClickAsync();
        await Assertions.Expect(page.Locator("#webhook-rotate-confirm")).ToContainTextAsync("refused from the moment you rotate");
        await page.Locator("#webhook-rotate-now").ClickAsync();
        var secret = await page.Locator("#webhook-new-secret").InnerTextAsync();
        Assert.NotEqual(old, secret);
        await Assertions.Expect(page.Locator("#webhook-secret-source")).ToContainTextAsync("rotated");
        await Assertions.Expect(page.Locator("#webhooks tr[data-source=dockerhub]")).ToContainTextAsync($"/api/v1/webhooks/dockerhub/{secret}");
        await page.Locator("#webhook-copy").ClickAsync();
        await Assertions.Expect(page.Locator("#webhook-copy-result")).ToHaveTextAsync("Copied.");
        Assert.Equal(secret, await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"));
        await BrowserFixture.ScreenshotAsync(page, "registries-webhook-rotated");

        Assert.Equal(HttpStatusCode.Unauthorized, await DeliverAsync(old));
        Assert.Equal(HttpStatusCode.Accepted, await DeliverAsync(secret));

        // Shown once: a fresh page names the source, not the secret.
        await BrowserFixture.GoToAsync(page, "/registries");
        await Assertions.Expect(page.Locator("#webhook-secret-source")).ToContainTextAsync(ControllerHost.AdminUserName);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        await page.Context.CloseAsync();

        var audit = await stack.Controller.GetJsonAsync<JsonElement>("/api/v1/audit?action=RotateWebhookSecret");
        var row = Assert.Single(audit.GetProperty("items").EnumerateArray());
        Assert.Equal(("user", ControllerHost.AdminUserName, "success"),
            (row.GetProperty("actorKind").GetString(), row.GetProperty("actorName").GetString(), row.GetProperty("outcome").GetString()));

        async Task<HttpStatusCode> DeliverAsync(string webhookSecret)
        {
            using var response = await stack.Controller.Anonymous.PostAsync($"/api/v1/webhooks/dockerhub/{webhookSecret}",
                new StringContent(push, System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
            return response.StatusCode;
        }
    }

    [Fact]
    public async Task ApiKey_CreatedInTheUi_ShowsItsSecretOnce_AndTheKeyWorks_UntilRevoked()
    {
        var name = TestNames.Unique("ui-key");
        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/access");
        await page.Locator("#api-key-name").FillAsync(name);
        await page.Locator("#api-key-create").ClickAsync();
        var secret = await page.Locator("#api-key-secret").InnerTextAsync();
        Assert.False(string.IsNullOrWhiteSpace(secret));
        await Assertions.Expect(page.Locator($"#api-keys tr[data-key='{name}']")).ToContainTextAsync("active");
        await BrowserFixture.ScreenshotAsync(page, "access-key-created");

        using var client = new HttpClient { BaseAddress = stack.Controller.ApiAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);

        // Shown once: a fresh page lists the key but never its secret.
        await BrowserFixture.GoToAsync(page, "/access");
        await Assertions.Expect(page.Locator($"#api-keys tr[data-key='{name}']")).ToBeVisibleAsync();
        Assert.DoesNotContain(secret, await page.ContentAsync());
        await Assertions.Expect(page.Locator("#api-key-secret")).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}" }).ClickAsync();
        await Assertions.Expect(page.Locator($"#api-keys tr[data-key='{name}']")).ToContainTextAsync("revoked");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
        await Assertions.Expect(page.Locator("#sessions")).ToContainTextAsync("(this session)");
        await BrowserFixture.ScreenshotAsync(page, "access");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task AuditExport_FilteredByAction_DownloadsACsvWithExactlyTheFilteredRows()
    {
        var names = new[] { TestNames.Unique("audit-a"), TestNames.Unique("audit-b") };
        foreach (var user in names)
        {
            await stack.Controller.CreateUserAsync(user, WebDeployment.ViewerPassword, "viewer");
        }

        var page = await browser.OpenAsync(stack.Controller.ApiAddress, "/audit");
        await page.Locator("#audit-action").FillAsync("CreateUser");
        await page.Locator("#audit-action").PressAsync("Enter");
        await page.Locator("#audit-action").BlurAsync();
        await Assertions.Expect(page.Locator("#audit-events tbody tr").First).ToHaveAttributeAsync("data-action", "CreateUser");
        var shown = await page.Locator("#audit-events tbody tr").CountAsync();
        Assert.All(await page.Locator("#audit-events tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.action)"), a => Assert.Equal("CreateUser", a));
        await BrowserFixture.ScreenshotAsync(page, "audit");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#audit-export-csv").ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var lines = (await File.ReadAllTextAsync((await download.PathAsync())!, TestContext.Current.CancellationToken))
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,at,actor_kind,actor_id,actor_name,action,target,outcome,status_code,remote_ip,detail", lines[0]);
        var rows = lines[1..].Select(l => l.Split(',')).ToList();
        Assert.Equal(shown, rows.Count);
        Assert.All(rows, r => Assert.Equal("CreateUser", r[5]));
        Assert.True(rows.Count >= names.Length);
        Assert.All(rows.Take(names.Length), r => Assert.Equal(("success", "201"), (r[7], r[8])));
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task UpdatePreview_ForAnAvailableUpdate_ListsOnlyTheConfigDifferences_AndWhatTheContainerOverrides()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("ui-preview");
        // The container sets app.version itself: the image's change of that label does not reach it.
        await stack.RunAsync(name, "-l", "app.version=pinned-by-me", release.OldTag);
        await stack.WaitForContainerAsync(name);
        var repository = release.Repository[(stack.Registry.Host.Length + 1)..];
        Assert.Equal(release.NewDigest, await stack.Registry.PushAsync(release.NewImageId, repository, "1"));
        await DockerCli.CheckedAsync("tag", release.OldImageId, release.OldTag);
        using (var start = await stack.Controller.PostJsonAsync("/api/v1/checks", new { hostId = stack.HostId, containerId = name }))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var run = (await start.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("id").GetString();
            await Eventually.GetAsync(() => stack.Controller.GetJsonAsync<JsonElement>($"/api/v1/checks/{run}"),
                r => r.GetProperty("status").GetString() is "completed" or "failed", TimeSpan.FromSeconds(30), "the check finishes");
        }

        var preview = await stack.Controller.GetJsonAsync<JsonElement>($"/api/v1/containers/{stack.HostId}/{name}/update-preview");
        Assert.Equal(release.NewDigest, preview.GetProperty("targetDigest").GetString());
        Assert.Equal(release.OldDigest, preview.GetProperty("currentDigest").GetString());
        var changes = preview.GetProperty("changes").EnumerateArray()
            .Select(c => (Field: c.GetProperty("field").GetString(), Key: c.GetProperty("key").GetString(), After: c.GetProperty("after").GetString(), Overridden: c.GetProperty("overridden").GetBoolean()))
            .ToList();
        // v1 → v2 differs in GREETING and app.version only (MODE, app.vendor, port 80 and CMD are the same).
        Assert.Equal([("env", "GREETING", "v2-default", false), ("label", "app.version", "2", true)], changes);

        var page = await browser.OpenAsync(stack.Controller.ApiAddress, $"/containers/{stack.HostId}/{name}");
        await Assertions.Expect(page.Locator("#update-preview tr[data-key=GREETING]")).ToContainTextAsync("v2-default", new() { Timeout = 20_000 });
        await Assertions.Expect(page.Locator("#update-preview-overridden tr[data-key='app.version']")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#update-preview tr")).ToHaveCountAsync(2);
        await BrowserFixture.ScreenshotAsync(page, "container-update-preview");
        await page.Context.CloseAsync();

        // No update, no preview: a clear refusal.
        using var none = await stack.Controller.Api.GetAsync($"/api/v1/containers/{stack.HostId}/no-such-container/update-preview", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }
}
