using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Security;

/// <summary>API keys: shown once, scoped, expiring, rotated with a grace period, revoked, last-used time.</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("apikeys");
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await ControllerHost.StartAsync(data.Path, clock);

    [Theory]
    [InlineData("read", "GET", "/api/v1/hosts", true)]
    [InlineData("read", "GET", "/metrics", true)]
    [InlineData("read", "POST", "/api/v1/agents/enrollment-tokens", false)]
    [InlineData("read", "GET", "/api/v1/audit", false)]
    [InlineData("check", "GET", "/api/v1/hosts", false)]
    [InlineData("update", "GET", "/api/v1/hosts", false)]
    [InlineData("webhook", "GET", "/api/v1/hosts", false)]
    [InlineData("webhook", "POST", "/api/v1/api-keys", false)]
    [InlineData("admin", "GET", "/api/v1/audit", true)]
    [InlineData("admin", "POST", "/api/v1/agents/enrollment-tokens", true)]
    public async Task Scope_AllowsOnlyWhatItGrants(string scope, string method, string path, bool allowed)
    {
        using var client = await controller.ApiKeyClientAsync(scope);
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method == "POST")
        {
            request.Content = JsonContent.Create(new { });
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        if (allowed)
        {
            Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}");
        }
        else
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Key_IsShownOnce_StoredOnlyAsAHash_AndReportsItsLastUse()
    {
        using var created = await controller.Api.PostAsJsonAsync("/api/v1/api-keys", new { name = "prometheus", scopes = new[] { "read" } }, TestContext.Current.CancellationToken);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        var key = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("apiKey").GetProperty("id").GetString()!;
        Assert.StartsWith("hbk_" + id + "_", key);

        using var client = controller.BearerClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);

        var listed = await controller.Api.GetStringAsync("/api/v1/api-keys?all=true", TestContext.Current.CancellationToken);
        Assert.DoesNotContain(key["hbk_".Length..], listed);
        Assert.DoesNotContain(key.Split('_', 3)[2], listed);
        var entry = JsonDocument.Parse(listed).RootElement.EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        Assert.Equal(JsonValueKind.String, entry.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal("active", entry.GetProperty("status").GetString());
    }

    [Fact]
    public async Task ExpiredKey_IsRefusedWithTheReason()
    {
        var key = await ControllerHost.CreateApiKeyAsync(controller.Api, "ci", ["read"], expiresInDays: 1);
        using var client = controller.BearerClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);

        clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromSeconds(1));

        using var expired = await client.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Rotation_GivesANewKey_TheOldOneWorksUntilTheGraceEnds()
    {
        using var created = await controller.Api.PostAsJsonAsync("/api/v1/api-keys", new { name = "backup", scopes = new[] { "read" } }, TestContext.Current.CancellationToken);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        using var old = controller.BearerClient(body.GetProperty("key").GetString()!);
        var id = body.GetProperty("apiKey").GetProperty("id").GetString();

        using var rotated = await controller.Api.PostAsJsonAsync($"/api/v1/api-keys/{id}/rotate", new { gracePeriodHours = 1 }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, rotated.StatusCode);
        var successor = await rotated.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        using var fresh = controller.BearerClient(successor.GetProperty("key").GetString()!);
        Assert.Equal(["read"], successor.GetProperty("apiKey").GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));

        clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.OK, (await old.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);

        clock.Advance(TimeSpan.FromMinutes(2));
        using var afterGrace = await old.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, afterGrace.StatusCode);
        Assert.Contains("rotated", await afterGrace.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);

        using var again = await controller.Api.PostAsJsonAsync($"/api/v1/api-keys/{id}/rotate", new { }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
    }

    [Fact]
    public async Task RevokedKey_IsRefusedOnItsNextCall()
    {
        using var created = await controller.Api.PostAsJsonAsync("/api/v1/api-keys", new { name = "leaked", scopes = new[] { "read" } }, TestContext.Current.CancellationToken);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        using var client = controller.BearerClient(body.GetProperty("key").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);

        using var revoke = await controller.Api.DeleteAsync($"/api/v1/api-keys/{body.GetProperty("apiKey").GetProperty("id").GetString()}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        using var refused = await client.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("revoked", await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("Bearer hbk_0123456789abcdef_not-the-secret")]
    [InlineData("Bearer hbk_short")]
    [InlineData("Bearer something-else")]
    [InlineData("Basic YWRtaW46YWRtaW4=")]
    public async Task BadAuthorizationHeader_Is401ProblemJson(string header)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/hosts");
        request.Headers.TryAddWithoutValidation("Authorization", header);

        using var response = await controller.Anonymous.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[\"root\"]")]
    public async Task UnknownOrMissingScopes_AreA400(string scopes)
    {
        using var response = await controller.Api.PostAsync(
            "/api/v1/api-keys", new StringContent($"{{\"name\":\"x\",\"scopes\":{scopes}}}", System.Text.Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("scopes", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
