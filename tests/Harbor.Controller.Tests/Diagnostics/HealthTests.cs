using System.Net;
using System.Net.Http.Json;
using Harbor.Controller.Tests.Agents;
using Harbor.Controller.Tests.Checks;
using Harbor.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace Harbor.Controller.Tests.Diagnostics;

/// <summary>
/// /health as a load balancer or an uptime monitor reads it: 200 Healthy, 200 Degraded (an agent offline,
/// a registry in trouble: Harbor still works) or 503 Unhealthy (the database is unusable).
/// </summary>
/// <remarks>Runs with the tests that own the process-wide metrics: a live controller here would republish
/// <c>harbor_containers</c> over another test's at every scrape.</remarks>
[Collection(nameof(OwnControllerTests))]
public sealed class HealthTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("health");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await ControllerHost.StartAsync(data.Path, settings: new Dictionary<string, string?>
    {
        ["Harbor:Controller:Registries:MaxAttempts"] = "1",
        ["Harbor:Controller:Registries:UnreachableCooldown"] = "00:00:00.100",
    });

    [Fact]
    public async Task Health_FreshController_IsHealthy()
    {
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthAsync());
    }

    [Fact]
    public async Task Health_DatabaseUnusable_IsUnhealthy503_AndRecovers()
    {
        var database = Path.Combine(data.Path, "harbor.db");
        var aside = database + ".aside";
        SqliteConnection.ClearAllPools();
        File.Move(database, aside);
        Directory.CreateDirectory(database); // a directory where the file was: SQLite cannot open it
        try
        {
            Assert.Equal((HttpStatusCode.ServiceUnavailable, "Unhealthy"), await HealthAsync());
            // A probe that carries a credential (a proxy adding one, a dashboard signed in) gets the same answer:
            // probes never look at credentials, which would need the broken database.
            using var authenticated = await controller.Api.GetAsync("/health", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, authenticated.StatusCode);
        }
        finally
        {
            Directory.Delete(database);
            File.Move(aside, database);
        }

        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthAsync());
    }

    [Fact]
    public async Task Health_AgentOffline_IsDegradedNotFailed_UntilItReconnects()
    {
        var agent = await FakeAgent.ConnectAsync(controller, hostName: "health-host");
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthAsync());

        await agent.DisposeAsync();

        await Eventually.TrueAsync(async () => await HealthAsync() == (HttpStatusCode.OK, "Degraded"), TimeSpan.FromSeconds(5), "/health is Degraded while the host is offline");
        await using var back = await FakeAgent.ConnectAsync(controller, hostName: "health-host", credential: agent.Credential);
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthAsync());
    }

    [Fact]
    public async Task Health_RegistryFailing_IsDegradedNotFailed_UntilItAnswersAgain()
    {
        var failing = true;
        await using var registry = await StubHttpServer.StartAsync(context =>
        {
            if (Volatile.Read(ref failing))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            }

            context.Response.Headers["Docker-Content-Digest"] = "sha256:" + new string('4', 64);
            context.Response.ContentType = "application/vnd.oci.image.manifest.v1+json";
            return Task.CompletedTask;
        });
        await using var agent = await FakeAgent.ConnectAsync(controller);
        var container = FakeAgent.Container("c1", "web");
        container.Image = $"{registry.Host}/team/web:1";
        container.RepoDigests.Add($"{registry.Host}/team/web@sha256:{new string('3', 64)}");
        await agent.SendSnapshotAsync(1, container);
        await controller.WaitForContainersAsync(agent.AgentId, 1);

        await CheckAsync();
        Assert.Equal((HttpStatusCode.OK, "Degraded"), await HealthAsync());

        Volatile.Write(ref failing, false);
        await Task.Delay(200, TestContext.Current.CancellationToken); // past the unreachable cooldown
        await CheckAsync();
        Assert.Equal((HttpStatusCode.OK, "Healthy"), await HealthAsync());
    }

    private async Task CheckAsync()
    {
        using var response = await controller.Api.PostAsJsonAsync("/api/v1/checks", new { }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<ApiCheckRun>(TestContext.Current.CancellationToken))!;
        await Eventually.GetAsync(() => controller.GetJsonAsync<ApiCheckRun>($"/api/v1/checks/{run.Id}"), r => r.Status is "completed" or "failed",
            TimeSpan.FromSeconds(30), $"check {run.Id} finishes");
    }

    /// <summary>As a probe asks: anonymously (health is public; a credential check would need the database).</summary>
    private async Task<(HttpStatusCode Status, string Body)> HealthAsync()
    {
        using var response = await controller.Anonymous.GetAsync("/health", TestContext.Current.CancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
