using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Security;

/// <summary>Every change is in the audit trail with who (user, API key, agent) and from where.</summary>
public sealed class AuditTests : IAsyncLifetime
{
    private const string Password = "an auditable passphrase";
    private readonly TempDirectory data = new("audit");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await ControllerHost.StartAsync(data.Path);

    [Fact]
    public async Task Changes_AreRecordedWithActorKindNameAndAddress_ReadsAreNot()
    {
        await controller.CreateUserAsync("frank", Password, "viewer");
        using var frank = await controller.SignInAsync("frank", Password);
        await ControllerHost.CreateApiKeyAsync(frank, "frank's key", ["read"]);
        using var failed = await controller.Anonymous.PostAsJsonAsync("/api/v1/auth/login", new { userName = "frank", password = "wrong guess here" }, TestContext.Current.CancellationToken);
        await controller.GetHostsAsync();

        var events = (await controller.GetJsonAsync<ApiPage<JsonElement>>("/api/v1/audit?pageSize=1000")).Items;

        var created = Assert.Single(events, e => e.GetProperty("action").GetString() == "CreateUser");
        Assert.Equal("api_key", created.GetProperty("actorKind").GetString());
        Assert.Equal("test bootstrap admin", created.GetProperty("actorName").GetString());
        Assert.Equal("127.0.0.1", created.GetProperty("remoteIp").GetString());
        Assert.Equal(201, created.GetProperty("statusCode").GetInt32());

        var key = Assert.Single(events, e => e.GetProperty("action").GetString() == "CreateApiKey" && e.GetProperty("actorName").GetString() == "frank");
        Assert.Equal("user", key.GetProperty("actorKind").GetString());

        var logins = events.Where(e => e.GetProperty("action").GetString() == "Login").ToList();
        Assert.Contains(logins, e => e.GetProperty("outcome").GetString() == "success" && e.GetProperty("actorName").GetString() == "frank");
        var refused = Assert.Single(logins, e => e.GetProperty("outcome").GetString() == "failure");
        Assert.Equal("anonymous", refused.GetProperty("actorKind").GetString());
        Assert.Contains("frank", refused.GetProperty("detail").GetString());
        Assert.DoesNotContain("wrong guess", JsonSerializer.Serialize(events));

        Assert.DoesNotContain(events, e => e.GetProperty("action").GetString() == "ListHosts");
    }

    [Fact]
    public async Task Audit_CanBeFiltered_AndIsForAdminsOnly()
    {
        await controller.CreateEnrollmentTokenAsync();
        using var reader = await controller.ApiKeyClientAsync("read");

        var filtered = await controller.GetJsonAsync<ApiPage<JsonElement>>("/api/v1/audit?action=CreateEnrollmentToken");
        Assert.All(filtered.Items, e => Assert.Equal("CreateEnrollmentToken", e.GetProperty("action").GetString()));
        Assert.Single(filtered.Items);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/audit", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await controller.Api.GetAsync("/api/v1/audit?pageSize=0", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Export_WithFilters_HoldsExactlyTheFilteredEvents_AsCsvOrJson_AndIsForAdminsOnly()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await controller.CreateUserAsync("gina", Password, "viewer");
        await controller.CreateUserAsync("hans", Password, "viewer");
        await controller.CreateEnrollmentTokenAsync();
        var since = Uri.EscapeDataString(before.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

        using var csv = await controller.Api.GetAsync($"/api/v1/audit/export?format=csv&action=CreateUser&since={since}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("harbor-audit-", csv.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var lines = (await csv.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.All(lines[1..], l => Assert.Equal("CreateUser", l.Split(',')[5]));
        Assert.Equal("false", csv.Headers.GetValues("X-Harbor-Truncated").Single());

        // JSON, filtered by the target (route values) and an empty time range.
        var json = await controller.GetJsonAsync<List<JsonElement>>($"/api/v1/audit/export?format=json&action=CreateEnrollmentToken&since={since}");
        Assert.Single(json);
        var gina = (await controller.GetJsonAsync<List<JsonElement>>("/api/v1/users")).Single(u => u.GetProperty("userName").GetString() == "gina").GetProperty("id").GetString();
        using var disable = await controller.Api.PatchAsJsonAsync($"/api/v1/users/{gina}", new { disabled = true }, TestContext.Current.CancellationToken);
        var targeted = await controller.GetJsonAsync<List<JsonElement>>($"/api/v1/audit/export?format=json&target={gina}");
        Assert.Equal("UpdateUser", Assert.Single(targeted).GetProperty("action").GetString());
        Assert.Empty(await controller.GetJsonAsync<List<JsonElement>>($"/api/v1/audit/export?format=json&target={gina}&until={since}"));
        Assert.Equal(HttpStatusCode.BadRequest, (await controller.Api.GetAsync($"/api/v1/audit/export?since={since}&until={since}", TestContext.Current.CancellationToken)).StatusCode);

        using var reader = await controller.ApiKeyClientAsync("read");
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/audit/export", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await controller.Api.GetAsync("/api/v1/audit/export?format=xml", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task Features_AreListed_AndAnUnknownFlagStopsStartUp()
    {
        var features = await controller.GetJsonAsync<JsonElement>("/api/v1/features");
        Assert.Equal(["enable_mfa", "enable_rbac", "enable_blue_green", "enable_kubernetes"], features.EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        Assert.All(features.EnumerateArray(), f => Assert.False(f.GetProperty("enabled").GetBoolean()));

        using var other = new TempDirectory("bad-flag");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ControllerHost.StartAsync(other.Path, settings: new Dictionary<string, string?> { ["Harbor:Features:enable_mfx"] = "true" }));
        Assert.Contains("Unknown feature flag 'Harbor:Features:enable_mfx'", error.ToString());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
