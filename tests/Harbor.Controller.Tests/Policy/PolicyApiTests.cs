using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Controller.Tests.Agents;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Policy;

/// <summary>Rules and the explain endpoint through the real HTTP API, on inventory sent by a real gRPC client.</summary>
public sealed class PolicyApiTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("policy-api");
    private ControllerHost controller = null!;
    private FakeAgent agent = null!;

    public async ValueTask InitializeAsync()
    {
        controller = await ControllerHost.StartAsync(data.Path);
        agent = await FakeAgent.ConnectAsync(controller, hostName: "nas");
        var web = FakeAgent.Container("c-web", "web");
        web.Labels.Add("harbor.policy", "auto");
        web.Labels.Add("com.docker.compose.project", "shop");
        web.ComposeProject = "shop";
        var db = FakeAgent.Container("c-db", "db");
        db.Labels.Add("harbor.min-age", "soon");
        db.ComposeProject = "shop";
        await agent.SendSnapshotAsync(1, web, db, FakeAgent.Container("c-other", "other"));
        await controller.WaitForContainersAsync(agent.AgentId, 3);
    }

    [Fact]
    public async Task Explain_ShowsEachSettingsSource_LabelOverRule()
    {
        await CreateRuleAsync(new { name = "shop nightly", scope = "composeProject", scopeValue = "shop", settings = new Dictionary<string, string> { ["mode"] = "approve", ["schedule"] = "0 3 * * *" } });

        var web = await ExplainAsync("web");
        var db = await ExplainAsync("db");

        Assert.Equal("auto", web.GetProperty("mode").GetString());
        Assert.Equal("label harbor.policy", Source(web, "mode"));
        Assert.Equal("0 3 * * *", web.GetProperty("schedule").GetString());
        Assert.StartsWith("rule 'shop nightly'", Source(web, "schedule"));
        Assert.Equal("approve", db.GetProperty("mode").GetString());
        Assert.StartsWith("rule 'shop nightly'", Source(db, "mode"));
    }

    [Fact]
    public async Task Explain_ReportsInvalidLabelsPerContainer()
    {
        var db = await ExplainAsync("db");

        var problem = Assert.Single(db.GetProperty("problems").EnumerateArray());
        Assert.Equal("label harbor.min-age", problem.GetProperty("source").GetString());
        Assert.Equal("soon", problem.GetProperty("value").GetString());
        Assert.Contains("duration", problem.GetProperty("message").GetString());
    }

    [Fact]
    public async Task CreateRule_InvalidSettings_Is400NamingEachProblem_AndNothingIsStored()
    {
        using var response = await controller.Api.PostAsJsonAsync("/api/v1/policy/rules", new
        {
            name = "bad",
            scope = "host",
            settings = new Dictionary<string, string> { ["mode"] = "yolo", ["colour"] = "blue", ["window"] = "0 3 * * *" },
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("scopeValue", out _));
        Assert.True(errors.TryGetProperty("settings.mode", out _));
        Assert.True(errors.TryGetProperty("settings.colour", out _));
        Assert.True(errors.TryGetProperty("settings.window", out _));
        Assert.Empty(await controller.GetJsonAsync<List<JsonElement>>("/api/v1/policy/rules"));
    }

    [Fact]
    public async Task Rules_CrudRoundTrip()
    {
        var created = await CreateRuleAsync(new { name = "canary auto", scope = "hostGroup", scopeValue = "canary", priority = 3, settings = new Dictionary<string, string> { ["mode"] = "auto" } });
        var id = created.GetProperty("id").GetInt64();

        using (var update = await controller.Api.PutAsJsonAsync($"/api/v1/policy/rules/{id}", new { name = "canary approve", scope = "hostGroup", scopeValue = "canary", settings = new Dictionary<string, string> { ["mode"] = "approve" } }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        }

        var fetched = await controller.GetJsonAsync<JsonElement>($"/api/v1/policy/rules/{id}");
        Assert.Equal("canary approve", fetched.GetProperty("name").GetString());
        Assert.Equal("approve", fetched.GetProperty("settings").GetProperty("mode").GetString());

        using (var delete = await controller.Api.DeleteAsync($"/api/v1/policy/rules/{id}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        }

        using var gone = await controller.Api.GetAsync($"/api/v1/policy/rules/{id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task HostGroupRule_AppliesOnceTheHostJoinsTheGroup()
    {
        await CreateRuleAsync(new { name = "canaries", scope = "hostGroup", scopeValue = "canary", settings = new Dictionary<string, string> { ["mode"] = "approve" } });
        Assert.Equal("notify", (await ExplainAsync("other")).GetProperty("mode").GetString());

        using var join = await controller.Api.PutAsJsonAsync($"/api/v1/hosts/{agent.AgentId}/group", new { group = "canary" }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, join.StatusCode);

        Assert.Equal("approve", (await ExplainAsync("other")).GetProperty("mode").GetString());
        Assert.Equal("canary", (await controller.GetJsonAsync<JsonElement>($"/api/v1/hosts/{agent.AgentId}")).GetProperty("group").GetString());
    }

    [Fact]
    public async Task Preview_ListsTheContainersARuleMatches()
    {
        using var response = await controller.Api.PostAsJsonAsync("/api/v1/policy/rules/preview", new
        {
            name = "preview",
            scope = "container",
            scopeValue = "w*",
            settings = new Dictionary<string, string> { ["mode"] = "auto" },
        }, TestContext.Current.CancellationToken);
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(1, preview.GetProperty("matched").GetInt32());
        Assert.Equal("web", preview.GetProperty("containers")[0].GetProperty("name").GetString());
    }

    private async Task<JsonElement> CreateRuleAsync(object rule)
    {
        using var response = await controller.Api.PostAsJsonAsync("/api/v1/policy/rules", rule, TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    private Task<JsonElement> ExplainAsync(string container) =>
        controller.GetJsonAsync<JsonElement>($"/api/v1/containers/{agent.AgentId}/{container}/policy");

    private static string? Source(JsonElement policy, string field) =>
        policy.GetProperty("explain").EnumerateArray().Single(s => s.GetProperty("field").GetString() == field).GetProperty("source").GetString();

    public async ValueTask DisposeAsync()
    {
        await agent.DisposeAsync();
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
