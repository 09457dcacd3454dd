using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Checks;

/// <summary>
/// Rotating the webhook secret against the real webhook endpoint of a real controller: the old secret
/// is refused at once in every form (URL, header, signature), the new one accepted, and the rotated
/// secret outlives a restart with the old one still configured.
/// </summary>
public sealed class WebhookSecretTests : IAsyncLifetime
{
    private const string Configured = "configured-webhook-secret-0123";
    private const string ViewerPassword = "a viewer's long passphrase";
    private const string Push = "{\"push_data\":{\"tag\":\"1\"},\"repository\":{\"repo_name\":\"someone/app\"}}";

    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["Harbor:Controller:Webhooks:Secret"] = Configured,
        ["Harbor:Features:enable_rbac"] = "true",
    };

    private readonly TempDirectory data = new("webhook-secret");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await ControllerHost.StartAsync(data.Path, settings: Settings);

    [Fact]
    public async Task RotateWebhookSecret_OldSecretRefusedAtOnce_NewAccepted_AuditedAndKeptAcrossARestart()
    {
        Assert.Equal(HttpStatusCode.Accepted, await DeliverInUrlAsync(Configured));
        Assert.Equal("configuration", (await SecretInfoAsync()).GetProperty("source").GetString());

        using var rotate = await controller.PostJsonAsync("/api/v1/registries/webhook-secret/rotate");
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var rotated = await rotate.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var secret = rotated.GetProperty("secret").GetString()!;
        Assert.True(secret.Length >= 32);
        Assert.NotEqual(Configured, secret);

        // The old secret, in each place a registry may put it, is refused with a problem answer; the new one is accepted.
        using (var oldInUrl = await DeliverAsync($"/api/v1/webhooks/dockerhub/{Configured}", null, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, oldInUrl.StatusCode);
            Assert.Equal("application/problem+json", oldInUrl.Content.Headers.ContentType?.MediaType);
            Assert.Contains("secret in the URL is wrong", await oldInUrl.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/api/v1/webhooks/dockerhub", "Bearer " + Configured, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync("/api/v1/webhooks/github", null, Signature(Configured)));
        Assert.Equal(HttpStatusCode.Accepted, await DeliverInUrlAsync(secret));
        Assert.Equal(HttpStatusCode.Accepted, await StatusAsync("/api/v1/webhooks/dockerhub", "Bearer " + secret, null));

        var info = await SecretInfoAsync();
        Assert.Equal(("rotated", "api-key:test bootstrap admin"), (info.GetProperty("source").GetString(), info.GetProperty("rotatedBy").GetString()));
        var audit = (await controller.GetJsonAsync<ApiPage<JsonElement>>("/api/v1/audit?action=RotateWebhookSecret")).Items;
        var row = Assert.Single(audit);
        Assert.Equal(("success", "test bootstrap admin"), (row.GetProperty("outcome").GetString(), row.GetProperty("actorName").GetString()));
        Assert.DoesNotContain(secret, row.GetRawText(), StringComparison.Ordinal);

        // The rotated secret wins over the configured one after a restart.
        await controller.DisposeAsync();
        controller = await ControllerHost.StartAsync(data.Path, settings: Settings);
        Assert.Equal(HttpStatusCode.Unauthorized, await DeliverInUrlAsync(Configured));
        Assert.Equal(HttpStatusCode.Accepted, await DeliverInUrlAsync(secret));
        Assert.Contains(controller.Logs.Lines, l => l.EventId.Name == "ConfiguredWebhookSecretIgnored");
    }

    [Fact]
    public async Task RotateWebhookSecret_ByAViewer_Is403_AndTheSecretStays()
    {
        await controller.CreateUserAsync("vic", ViewerPassword, "viewer");
        using var viewer = await controller.SignInAsync("vic", ViewerPassword);

        using var refused = await viewer.PostAsync("/api/v1/registries/webhook-secret/rotate", null, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Accepted, await DeliverInUrlAsync(Configured));
        Assert.Equal("configuration", (await SecretInfoAsync()).GetProperty("source").GetString());
    }

    private Task<JsonElement> SecretInfoAsync() => controller.GetJsonAsync<JsonElement>("/api/v1/registries/webhook-secret");

    private Task<HttpStatusCode> DeliverInUrlAsync(string secret) => StatusAsync($"/api/v1/webhooks/dockerhub/{secret}", null, null);

    private async Task<HttpStatusCode> StatusAsync(string path, string? authorization, string? signature)
    {
        using var response = await DeliverAsync(path, authorization, signature);
        return response.StatusCode;
    }

    private async Task<HttpResponseMessage> DeliverAsync(string path, string? authorization, string? signature)
    {
        var body = signature is null ? Push : GitHubPush;
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
            request.Headers.Add("X-GitHub-Event", "package");
        }

        return await controller.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);
    }

    private const string GitHubPush = "{\"action\":\"published\"}";

    private static string Signature(string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(GitHubPush)));

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        data.Dispose();
    }
}
