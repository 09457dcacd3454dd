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
