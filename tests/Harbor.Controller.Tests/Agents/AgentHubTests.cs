using Grpc.Core;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Agents;

/// <summary>
/// The controller's agent hub on real Kestrel ports with a real SQLite file, driven by a real gRPC
/// client; time is a fake clock so heartbeats and offline detection are tested without sleeping.
/// </summary>
public sealed class AgentHubTests : IAsyncLifetime
{
    private static readonly TimeSpan OfflineAfter = TimeSpan.FromSeconds(30);
    private readonly TempDirectory data = new("hub");
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await StartControllerAsync();

    private Task<ControllerHost> StartControllerAsync() => ControllerHost.StartAsync(data.Path, clock, new Dictionary<string, string?>
    {
        ["Harbor:Controller:Agents:HeartbeatInterval"] = "00:00:10",
        ["Harbor:Controller:Agents:OfflineAfter"] = OfflineAfter.ToString(),
    });

    [Fact]
    public async Task HelloSnapshotDelta_AreVisibleThroughTheApi()
    {
        await using var agent = await FakeAgent.ConnectAsync(controller, hostName: "box-1");
        await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"), FakeAgent.Container("c2", "db"));
        await agent.SendDeltaAsync(2, [FakeAgent.Container("c1", "web", ContainerState.Exited), FakeAgent.Container("c3", "cache")], "c2");

        var containers = await Eventually.GetAsync(
            () => controller.GetContainersAsync("host=" + agent.AgentId),
            list => list.Count == 2 && list.Any(c => c.Name == "web" && c.State == "exited"),
            TimeSpan.FromSeconds(5),
            "snapshot + delta applied");

        Assert.Equal(["cache", "web"], containers.Select(c => c.Name).Order());
        Assert.All(containers, c => Assert.Equal("box-1", c.HostName));
        Assert.All(containers, c => Assert.False(c.Stale));
        var host = Assert.Single(await controller.GetHostsAsync(), h => h.Id == agent.AgentId);
        Assert.True(host.Online);
        Assert.Equal("1.47", host.EngineApiVersion);
        Assert.Equal(2, host.ContainerCount);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token-0123456789")]
    public async Task NoClientCertificate_EvenWithABearerToken_IsRejectedAsUnauthenticated(string? token)
    {
        var headers = token is null ? null : new Metadata { { "authorization", "Bearer " + token } };
        await using var agent = FakeAgent.OpenUnenrolled(controller.AgentHubAddress, await CaAsync(), headers);

        var status = await SendHelloAndWaitForEndAsync(agent);

        Assert.Equal(StatusCode.Unauthenticated, status.StatusCode);
        Assert.Contains("not enrolled", status.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(await controller.GetHostsAsync(), h => h.Id == agent.AgentId);
    }

    [Fact]
    public async Task FirstMessageNotHello_IsRejectedAsInvalidArgument()
    {
        await using var agent = FakeAgent.Open(controller.AgentHubAddress, await controller.EnrollAgentAsync(FakeAgent.NewAgentId()));
        await agent.SendHeartbeatAsync();

        var status = await agent.WaitForEndAsync();

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("Hello", status.Detail);
    }

    [Fact]
    public async Task InvalidAgentId_IsRejectedWithTheRule()
    {
        await using var agent = FakeAgent.Open(controller.AgentHubAddress, await controller.EnrollAgentAsync(FakeAgent.NewAgentId()));
        await agent.SendAsync(new AgentMessage { Hello = FakeAgent.Hello("../../etc/passwd") });

        var status = await agent.WaitForEndAsync();

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("agent_id", status.Detail);
    }

    [Fact]
    public async Task SequenceGap_AsksForResync_AndDoesNotApplyTheDeltaAfterTheGap()
    {
        await using var agent = await FakeAgent.ConnectAsync(controller);
        await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"));
        await agent.SendDeltaAsync(3, [FakeAgent.Container("c9", "after-gap")]);

        var message = await agent.ReceiveAsync();

        Assert.Equal(ControllerMessage.BodyOneofCase.ResyncRequest, message.BodyCase);
        Assert.Contains("expected inventory sequence 2 but got 3", message.ResyncRequest.Reason);
        await controller.FlushInventoryAsync();
        Assert.DoesNotContain(await controller.GetContainersAsync("host=" + agent.AgentId), c => c.Name == "after-gap");

        // The agent answers with a fresh snapshot, which is applied.
        await agent.SendSnapshotAsync(4, FakeAgent.Container("c1", "web"), FakeAgent.Container("c9", "after-gap"));
        await Eventually.TrueAsync(
            async () => (await controller.GetContainersAsync("host=" + agent.AgentId)).Count == 2,
            TimeSpan.FromSeconds(5),
            "resync snapshot applied");
    }

    [Fact]
    public async Task SilentAgent_GoesOfflineAfterTimeout_AndItsStreamIsEnded()
    {
        await using var agent = await FakeAgent.ConnectAsync(controller);
        await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"));
        await controller.WaitForContainersAsync(agent.AgentId, 1);
        Assert.True((await HostAsync(agent.AgentId)).Online);

        clock.Advance(OfflineAfter + TimeSpan.FromSeconds(1));

        Assert.False((await HostAsync(agent.AgentId)).Online);
        var status = await agent.WaitForEndAsync();
        Assert.Equal(StatusCode.Aborted, status.StatusCode);
        Assert.Contains("No message from the agent", status.Detail);
        var container = Assert.Single(await controller.GetContainersAsync("host=" + agent.AgentId));
        Assert.True(container.Stale);
    }

    [Fact]
    public async Task Heartbeats_KeepTheHostOnline()
    {
        await using var agent = await FakeAgent.ConnectAsync(controller);

        for (var i = 0; i < 6; i++)
        {
            await agent.SendHeartbeatAsync();
            // The heartbeat has arrived once the host's last-seen time is the clock's "now" (TLS adds latency: don't race the clock).
            var sent = clock.GetUtcNow();
            await Eventually.TrueAsync(async () => (await HostAsync(agent.AgentId)).LastSeenAt >= sent.AddTicks(-10), TimeSpan.FromSeconds(15), "heartbeat received");
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.True((await HostAsync(agent.AgentId)).Online);
    }

    [Fact]
    public async Task Controller_SendsHeartbeats_OnTheConfiguredInterval()
    {
        await using var agent = FakeAgent.Open(controller.AgentHubAddress, await controller.EnrollAgentAsync(FakeAgent.NewAgentId()));
        await agent.SendAsync(new AgentMessage { Hello = FakeAgent.Hello(agent.AgentId) });
        var welcome = await agent.ReceiveAsync();
        Assert.Equal(10_000, welcome.Welcome.HeartbeatIntervalMs);

        clock.Advance(TimeSpan.FromSeconds(10));

        var heartbeat = await ReceiveIncludingHeartbeatsAsync(agent);
        Assert.Equal(ControllerMessage.BodyOneofCase.Heartbeat, heartbeat.BodyCase);
    }

    [Fact]
    public async Task SameAgentReconnecting_ReplacesItsOwnPreviousStream()
    {
        await using var first = await FakeAgent.ConnectAsync(controller);
        await using var second = await FakeAgent.ConnectAsync(controller, credential: first.Credential);

        var status = await first.WaitForEndAsync();

        Assert.Equal(StatusCode.Aborted, status.StatusCode);
        Assert.Contains("Replaced", status.Detail);
        Assert.True((await HostAsync(first.AgentId)).Online);
    }

    [Fact]
    public async Task ControllerRestart_KeepsInventoryAsStale_UntilTheAgentReconnects()
    {
        var agentId = "agent-restart-" + Guid.NewGuid().ToString("N")[..6];
        var credential = await controller.EnrollAgentAsync(agentId);
        await using (var agent = await FakeAgent.ConnectAsync(controller, credential: credential))
        {
            await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"), FakeAgent.Container("c2", "db"));
            await controller.WaitForContainersAsync(agent.AgentId, 2);
        }

        await controller.DisposeAsync();
        controller = await StartControllerAsync();

        var host = await HostAsync(agentId);
        Assert.False(host.Online);
        var stale = await controller.GetContainersAsync("host=" + agentId);
        Assert.Equal(2, stale.Count);
        Assert.All(stale, c => Assert.True(c.Stale));

        await using var reconnected = await FakeAgent.ConnectAsync(controller, credential: credential);
        await reconnected.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"));

        var fresh = await Eventually.GetAsync(
            () => controller.GetContainersAsync("host=" + agentId),
            list => list.Count == 1 && !list[0].Stale,
            TimeSpan.FromSeconds(5),
            "fresh snapshot replaces the stale inventory");
        Assert.Equal("web", fresh[0].Name);
    }

    [Theory]
    [InlineData("state=sleeping", "state")]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=5000", "pageSize")]
    public async Task ContainersApi_BadQuery_IsProblemJson400(string query, string field)
    {
        using var response = await controller.Api.GetAsync("/api/v1/containers?" + query, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"\"{field}\"", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Theory]
    [InlineData("/api/v1/hosts/no-such-host")]
    [InlineData("/api/v1/containers/no-such-host/abc")]
    public async Task UnknownHostOrContainer_IsProblemJson404(string path)
    {
        using var response = await controller.Api.GetAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task NonNumericPage_IsA400NotA500()
    {
        using var response = await controller.Api.GetAsync("/api/v1/containers?page=abc", TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task OpenApiDocument_DescribesTheInventoryApi()
    {
        var document = await controller.Api.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Contains("/api/v1/containers", document);
        Assert.Contains("/api/v1/hosts/{hostId}", document);
    }

    [Fact]
    public async Task Metrics_ReportConnectedAgentsAndContainersByState()
    {
        await using var agent = await FakeAgent.ConnectAsync(controller, hostName: "metrics-host");
        await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"), FakeAgent.Container("c2", "db", ContainerState.Exited));
        await controller.WaitForContainersAsync(agent.AgentId, 2);

        var metrics = await controller.Api.GetStringAsync("/metrics", TestContext.Current.CancellationToken);

        Assert.Contains("harbor_agents_connected", metrics);
        Assert.Contains("harbor_containers{host=\"metrics-host\",state=\"running\"} 1", metrics);
        Assert.Contains("harbor_containers{host=\"metrics-host\",state=\"exited\"} 1", metrics);
        Assert.Contains("harbor_agent_stream_messages_total{direction=\"in\",type=\"Snapshot\"}", metrics);
    }

    private async Task<System.Security.Cryptography.X509Certificates.X509Certificate2> CaAsync()
    {
        var ca = await controller.GetJsonAsync<System.Text.Json.JsonElement>("/api/v1/agents/ca");
        return System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(ca.GetProperty("certificatePem").GetString());
    }

    private async Task<ApiHost> HostAsync(string id) =>
        await controller.GetJsonAsync<ApiHost>("/api/v1/hosts/" + id);

    private static async Task<Status> SendHelloAndWaitForEndAsync(FakeAgent agent)
    {
        try
        {
            await agent.SendAsync(new AgentMessage { Hello = FakeAgent.Hello(agent.AgentId) });
        }
        catch (RpcException e)
        {
            return e.Status;
        }

        return await agent.WaitForEndAsync();
    }

    private static async Task<ControllerMessage> ReceiveIncludingHeartbeatsAsync(FakeAgent agent) =>
        await agent.ReceiveRawAsync();

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
