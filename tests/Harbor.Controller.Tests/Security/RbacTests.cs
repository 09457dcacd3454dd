using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Grpc.AspNetCore.Server;
using Harbor.Controller.Security.Authorization;
using Harbor.Controller.Tests.Agents;
using Harbor.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Controller.Tests.Security;

/// <summary>
/// enable_rbac: admin, operator (update, approve, check) and viewer (read), checked for every endpoint
/// in the routing table; host-group limits; and without the flag every user is an admin.
/// </summary>
public sealed class RbacTests : IAsyncLifetime
{
    private const string Password = "a role-play passphrase";
    private readonly TempDirectory data = new("rbac");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync()
    {
        controller = await ControllerHost.StartAsync(data.Path, settings: new Dictionary<string, string?> { ["Harbor:Features:enable_rbac"] = "true" });
        await controller.CreateUserAsync("vera", Password, Roles.Viewer);
        await controller.CreateUserAsync("otto", Password, Roles.Operator);
        await controller.CreateUserAsync("ada", Password, Roles.Admin);
    }

    [Theory]
    [InlineData("vera", Roles.Viewer)]
    [InlineData("otto", Roles.Operator)]
    [InlineData("ada", Roles.Admin)]
    public async Task EveryEndpoint_IsForbiddenExactlyWhenTheRoleLacksItsPermission(string userName, string role)
    {
        using var client = await controller.SignInAsync(userName, Password);
        var granted = Roles.PermissionsOf(role, rbacEnabled: true);
        var failures = new List<string>();
        // Signing out would end the session the matrix runs on.
        foreach (var (method, route, _, required) in RoutingTable.HttpRoutes(controller.Services).Where(e => !e.IsPublic && e.Route != "/api/v1/auth/logout"))
        {
            using var request = new RoutingTable.HttpRoute(method, route, false, required).NewRequest();
            // Headers are enough, and a granted event stream (SSE) would never end its body.
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);
            var refusedForRole = response.StatusCode == HttpStatusCode.Forbidden
                && (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("title").GetString() == "Not allowed";
            if (refusedForRole == granted.Contains(required))
            {
                failures.Add($"{role} {method} {route} (needs {required}): {(int)response.StatusCode}");
            }
        }

        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public async Task Matrix_MatchesTheIssue()
    {
        Assert.Equal([Permission.Read, Permission.Account], Roles.PermissionsOf(Roles.Viewer, true).Order());
        Assert.Equal([Permission.Read, Permission.Check, Permission.Update, Permission.Approve, Permission.Account], Roles.PermissionsOf(Roles.Operator, true).Order());
        Assert.Equal(Roles.AllPermissions.Order(), Roles.PermissionsOf(Roles.Admin, true).Order());
        Assert.Equal(Roles.AllPermissions.Order(), Roles.PermissionsOf(Roles.Viewer, false).Order());
        await Task.CompletedTask;
    }

    [Fact]
    public async Task Viewer_CannotRevokeAnotherUsersSession_OrMintAKeyAboveItsRole()
    {
        using var vera = await controller.SignInAsync("vera", Password);
        using var otto = await controller.SignInAsync("otto", Password);
        var ottoSession = (await otto.GetFromJsonAsync<JsonElement>("/api/v1/sessions", TestContext.Current.CancellationToken))[0].GetProperty("id").GetString();

        using var revoke = await vera.DeleteAsync($"/api/v1/sessions/{ottoSession}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otto.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);

        using var list = await vera.GetAsync("/api/v1/sessions?all=true", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, list.StatusCode);

        using var key = await vera.PostAsJsonAsync("/api/v1/api-keys", new { name = "escalate", scopes = new[] { "admin" } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, key.StatusCode);
    }

    [Fact]
    public async Task ApiKey_OfAViewer_CanNeverDoMoreThanTheViewer()
    {
        // Created while ada was an admin; ada is then demoted: the key shrinks with her.
        using var ada = await controller.SignInAsync("ada", Password);
        var key = await ControllerHost.CreateApiKeyAsync(ada, "ada's admin key", ["admin"]);
        var adaId = (await ada.GetFromJsonAsync<JsonElement>("/api/v1/auth/me", TestContext.Current.CancellationToken)).GetProperty("id").GetString();
        using var demote = await controller.Api.PatchAsJsonAsync($"/api/v1/users/{adaId}", new { role = "viewer" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, demote.StatusCode);

        using var client = controller.BearerClient(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/audit", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task HostGroups_LimitWhatAUserSees_AndReaches()
    {
        await using var inGroup = await FakeAgent.ConnectAsync(controller, hostName: "in-group");
        await using var outside = await FakeAgent.ConnectAsync(controller, hostName: "outside");
        await inGroup.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"));
        await outside.SendSnapshotAsync(1, FakeAgent.Container("c2", "db"));
        await Eventually.TrueAsync(async () => (await controller.GetContainersAsync()).Count >= 2, TimeSpan.FromSeconds(5), "both snapshots stored");
        using var group = await controller.Api.PutAsJsonAsync("/api/v1/host-groups/lab", new { hostIds = new[] { inGroup.AgentId } }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, group.StatusCode);
        await controller.CreateUserAsync("lena", Password, Roles.Viewer, ["lab"]);

        using var lena = await controller.SignInAsync("lena", Password);

        var hosts = await lena.GetFromJsonAsync<List<ApiHost>>("/api/v1/hosts", TestContext.Current.CancellationToken);
        Assert.Equal([inGroup.AgentId], hosts!.Select(h => h.Id));
        var containers = await lena.GetFromJsonAsync<ApiPage<ApiContainer>>("/api/v1/containers", TestContext.Current.CancellationToken);
        Assert.Equal(["web"], containers!.Items.Select(c => c.Name));
        Assert.Equal(1, containers.Total);
        Assert.Equal(HttpStatusCode.OK, (await lena.GetAsync($"/api/v1/hosts/{inGroup.AgentId}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lena.GetAsync($"/api/v1/hosts/{outside.AgentId}", TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await lena.GetAsync($"/api/v1/containers/{outside.AgentId}/c2", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task WithoutTheFlag_EveryUserIsAnAdmin()
    {
        await controller.DisposeAsync();
        controller = await ControllerHost.StartAsync(data.Path);

        using var vera = await controller.SignInAsync("vera", Password);

        Assert.Equal(HttpStatusCode.OK, (await vera.GetAsync("/api/v1/audit", TestContext.Current.CancellationToken)).StatusCode);
        var me = await vera.GetFromJsonAsync<JsonElement>("/api/v1/auth/me", TestContext.Current.CancellationToken);
        Assert.Equal("admin", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task LastAdmin_CannotBeDemotedDisabledOrDeleted()
    {
        var users = await controller.GetJsonAsync<JsonElement>("/api/v1/users");
        var admins = users.EnumerateArray().Where(u => u.GetProperty("role").GetString() == "admin").Select(u => u.GetProperty("id").GetString()).ToList();
        using var demoteFirst = await controller.Api.PatchAsJsonAsync($"/api/v1/users/{admins[0]}", new { role = "viewer" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, demoteFirst.StatusCode);

        using var demoteLast = await controller.Api.PatchAsJsonAsync($"/api/v1/users/{admins[1]}", new { role = "viewer" }, TestContext.Current.CancellationToken);
        using var disableLast = await controller.Api.PatchAsJsonAsync($"/api/v1/users/{admins[1]}", new { disabled = true }, TestContext.Current.CancellationToken);
        using var deleteLast = await controller.Api.DeleteAsync($"/api/v1/users/{admins[1]}", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Conflict, demoteLast.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, disableLast.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, deleteLast.StatusCode);
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
