using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Inventory;
using Harbor.Controller.Tests.Agents;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Controller.Tests.Inventory;

/// <summary>
/// The one-query reads the web UI uses (every container; counts by update status) must show exactly what the
/// paged API shows, in the same order, and honour host-group limits: a user limited to one host must not
/// see or count another host's containers.
/// </summary>
public sealed class InventoryQueriesTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("inventory-queries");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await ControllerHost.StartAsync(data.Path);

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        data.Dispose();
    }

    [Fact]
    public async Task ListAllAndCountByStatus_MatchThePagedApi_AndHonourVisibleHosts()
    {
        await using var alpha = await FakeAgent.ConnectAsync(controller, hostName: "alpha");
        await using var beta = await FakeAgent.ConnectAsync(controller, hostName: "beta");
        await alpha.SendSnapshotAsync(1, FakeAgent.Container("a1", "web"), FakeAgent.Container("a2", "db"), FakeAgent.Container("a3", "cache"));
        await beta.SendSnapshotAsync(1, FakeAgent.Container("b1", "api"), FakeAgent.Container("b2", "queue"));
        await Eventually.GetAsync(() => controller.GetContainersAsync(""), list => list.Count == 5, TimeSpan.FromSeconds(10), "both snapshots stored");
        await SetStatusAsync(alpha.AgentId, "web", "update-available");
        await SetStatusAsync(alpha.AgentId, "db", "up-to-date");
        await SetStatusAsync(beta.AgentId, "api", "update-available");

        var queries = controller.Services.GetRequiredService<InventoryQueries>();
        var all = await queries.ListAllContainersAsync(null, CancellationToken.None);
        var paged = await queries.ListContainersAsync(new ContainerQuery { PageSize = 2, Page = 1 }, null, CancellationToken.None);
        var secondPage = await queries.ListContainersAsync(new ContainerQuery { PageSize = 2, Page = 2 }, null, CancellationToken.None);

        Assert.Equal(["alpha/cache", "alpha/db", "alpha/web", "beta/api", "beta/queue"], all.Select(c => c.HostName + "/" + c.Name));
        Assert.Equal(all.Take(4).Select(c => c.Id), paged.Items.Concat(secondPage.Items).Select(c => c.Id));
        Assert.Equal("update-available", Assert.Single(all, c => c.Name == "web").Update.Status);

        var counts = await queries.CountByUpdateStatusAsync(null, CancellationToken.None);
        Assert.Equal(2, counts["update-available"]);
        Assert.Equal(1, counts["up-to-date"]);
        Assert.Equal(2, counts["unchecked"]);

        var onlyBeta = new HashSet<string>(StringComparer.Ordinal) { beta.AgentId };
        Assert.Equal(["api", "queue"], (await queries.ListAllContainersAsync(onlyBeta, CancellationToken.None)).Select(c => c.Name));
        var betaCounts = await queries.CountByUpdateStatusAsync(onlyBeta, CancellationToken.None);
        Assert.Equal(1, betaCounts["update-available"]);
        Assert.Equal(1, betaCounts["unchecked"]);
        Assert.False(betaCounts.ContainsKey("up-to-date"));
    }

    [Fact]
    public async Task ListAllForAPass_FiltersByHostStatusAndLabelKey_AndCheckSchedulesReadOnlyWhatCanHaveOne()
    {
        await using var alpha = await FakeAgent.ConnectAsync(controller, hostName: "alpha");
        await using var beta = await FakeAgent.ConnectAsync(controller, hostName: "beta");
        var nightly = FakeAgent.Container("a1", "nightly");
        nightly.Labels["harbor.check-schedule"] = "0 3 * * *";
        var mentions = FakeAgent.Container("a2", "mentions");
        mentions.Labels["note"] = "\"harbor.check-schedule\": only in a value";
        var quoted = FakeAgent.Container("b1", "quoted");
        quoted.Labels["odd\"key"] = "x";
        await alpha.SendSnapshotAsync(1, nightly, mentions, FakeAgent.Container("a3", "cache"));
        await beta.SendSnapshotAsync(1, quoted, FakeAgent.Container("b2", "queue"));
        await Eventually.GetAsync(() => controller.GetContainersAsync(""), list => list.Count == 5, TimeSpan.FromSeconds(10), "both snapshots stored");
        await SetStatusAsync(beta.AgentId, "queue", "update-available");

        var queries = controller.Services.GetRequiredService<InventoryQueries>();
        async Task<IEnumerable<string>> NamesAsync(ContainerPass pass) => (await queries.ListAllContainersAsync(null, pass, CancellationToken.None)).Select(c => c.Name);
        Assert.Equal(["cache", "mentions", "nightly"], await NamesAsync(new ContainerPass(HostId: alpha.AgentId)));
        Assert.Equal(["queue"], await NamesAsync(new ContainerPass(UpdateStatus: "update-available")));
        Assert.Equal(["nightly"], await NamesAsync(new ContainerPass(WithLabel: "harbor.check-schedule")));
        Assert.Equal(["quoted"], await NamesAsync(new ContainerPass(WithLabel: "odd\"key")));
        Assert.Empty(await NamesAsync(new ContainerPass(HostId: beta.AgentId, WithLabel: "harbor.check-schedule")));

        // Without a rule that sets checkSchedule only labelled containers are read; a rule brings its matches in.
        var policies = controller.Services.GetRequiredService<Harbor.Controller.Policy.PolicyService>();
        Assert.Equal(["nightly"], (await policies.ResolveCheckSchedulesAsync(CancellationToken.None)).Select(s => s.Container.Name));
        using (var rule = await controller.PostJsonAsync("/api/v1/policy/rules", new
        {
            name = "queues hourly", scope = "container", scopeValue = "queue", settings = new Dictionary<string, string> { ["checkSchedule"] = "1h" },
        }))
        {
            Assert.True(rule.IsSuccessStatusCode, await rule.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        Assert.Equal(["nightly", "queue"], (await policies.ResolveCheckSchedulesAsync(CancellationToken.None)).Select(s => s.Container.Name).Order());
    }

    private async Task SetStatusAsync(string hostId, string name, string status)
    {
        await using var connection = await controller.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(CancellationToken.None);
        await connection.ExecuteAsync(
            """
            INSERT INTO container_checks (host_id, container_id, status, checked_at, check_run_id)
            SELECT host_id, id, @status, '2026-11-26T00:00:00.0000000Z', 'test-run' FROM containers WHERE host_id = @hostId AND name = @name
            """,
            new { hostId, name, status });
    }
}
