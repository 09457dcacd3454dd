using System.Net;
using System.Net.Http.Json;
using Dapper;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Data;
using Harbor.Controller.Tests.Agents;
using Harbor.Controller.Tests.Checks;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Controller.Tests.Diagnostics;

/// <summary>
/// The controller's /metrics as an operator's Prometheus scrapes it: every value moves when the thing it
/// counts happens (agents come and go, streams are refused, inventory gaps, jobs, update statuses).
/// </summary>
/// <remarks>Prometheus metrics are process-wide: these run alone (with the other tests that own the controller's gauges).</remarks>
[Collection(nameof(OwnControllerTests))]
public sealed class ControllerMetricsTests : IAsyncLifetime
{
    private const string Digest2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";
    private readonly TempDirectory data = new("metrics");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await ControllerHost.StartAsync(data.Path);

    [Fact]
    public async Task Metrics_AgentConnectsReconnectsAndLeaves_GaugeAndStreamCountersFollow()
    {
        var connections = await controller.MetricAsync("harbor_agent_connections_total");
        var replaced = await controller.MetricAsync("harbor_agent_disconnects_total{reason=\"replaced\"}");
        var ended = await controller.MetricAsync("harbor_agent_disconnects_total{reason=\"ended\"}");

        var first = await FakeAgent.ConnectAsync(controller, hostName: "metrics-box");
        Assert.Equal(1, await controller.MetricAsync("harbor_agents_connected"));
        Assert.Equal(1, await controller.MetricAsync("harbor_host_online{host=\"metrics-box\"}"));
        var second = await FakeAgent.ConnectAsync(controller, hostName: "metrics-box", credential: first.Credential);
        await Eventually.TrueAsync(
            async () => await controller.MetricAsync("harbor_agent_disconnects_total{reason=\"replaced\"}") == replaced + 1,
            TimeSpan.FromSeconds(5), "the replaced stream is counted");

        Assert.Equal(connections + 2, await controller.MetricAsync("harbor_agent_connections_total"));
        Assert.Equal(1, await controller.MetricAsync("harbor_agents_connected"));

        await first.DisposeAsync();
        await second.DisposeAsync();
        await Eventually.TrueAsync(async () => await controller.MetricAsync("harbor_agents_connected") == 0, TimeSpan.FromSeconds(5), "no agent connected");
        Assert.Equal(ended + 1, await controller.MetricAsync("harbor_agent_disconnects_total{reason=\"ended\"}"));
        // The host is still known, and shown offline: what the "agent offline" alert fires on.
        Assert.Equal(0, await controller.MetricAsync("harbor_host_online{host=\"metrics-box\"}"));
    }

    [Fact]
    public async Task Metrics_CheckAgainstARateLimitedRegistry_ShowsRequestsAndWhatIsLeft()
    {
        await using var registry = await StubHttpServer.StartAsync(context =>
        {
            context.Response.Headers["RateLimit-Limit"] = "100;w=21600";
            context.Response.Headers["RateLimit-Remaining"] = "7;w=21600";
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

        using var response = await controller.Api.PostAsJsonAsync("/api/v1/checks", new { }, TestContext.Current.CancellationToken);
        var run = (await response.Content.ReadFromJsonAsync<ApiCheckRun>(TestContext.Current.CancellationToken))!;
        await Eventually.GetAsync(() => controller.GetJsonAsync<ApiCheckRun>($"/api/v1/checks/{run.Id}"), r => r.Status == "completed", TimeSpan.FromSeconds(30), "the check finishes");

        Assert.True(await controller.MetricAsync($"harbor_registry_requests_total{{registry=\"{registry.Host}\",method=\"HEAD\",outcome=\"ok\"}}") >= 1);
        Assert.Equal(7, await controller.MetricAsync($"harbor_registry_ratelimit_remaining{{registry=\"{registry.Host}\"}}"));
        Assert.Equal(100, await controller.MetricAsync($"harbor_registry_ratelimit_limit{{registry=\"{registry.Host}\"}}"));
        Assert.Equal(1, await controller.MetricAsync("harbor_containers_by_update_status{status=\"update-available\"}"));
    }

    [Fact]
    public async Task Metrics_RefusedStreamsAndInventoryGaps_AreCounted()
    {
        var unauthenticated = await controller.MetricAsync("harbor_agent_streams_rejected_total{reason=\"unauthenticated\"}");
        var invalidHello = await controller.MetricAsync("harbor_agent_streams_rejected_total{reason=\"invalid_hello\"}");
        var resyncs = await controller.MetricAsync("harbor_inventory_resyncs_total");
        var resyncMessages = await controller.MetricAsync("harbor_agent_stream_messages_total{direction=\"out\",type=\"ResyncRequest\"}");

        await using (var intruder = FakeAgent.OpenUnenrolled(controller.AgentHubAddress, System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
            (await controller.GetJsonAsync<System.Text.Json.JsonElement>("/api/v1/agents/ca")).GetProperty("certificatePem").GetString())))
        {
            await intruder.SendAsync(new AgentMessage { Hello = FakeAgent.Hello(intruder.AgentId) });
            await intruder.WaitForEndAsync();
        }

        await using (var confused = FakeAgent.Open(controller.AgentHubAddress, await controller.EnrollAgentAsync(FakeAgent.NewAgentId())))
        {
            await confused.SendHeartbeatAsync();
            await confused.WaitForEndAsync();
        }

        await using var agent = await FakeAgent.ConnectAsync(controller);
        await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"));
        await agent.SendDeltaAsync(3, [FakeAgent.Container("c2", "db")]); // 2 never arrived
        Assert.Equal(ControllerMessage.BodyOneofCase.ResyncRequest, (await agent.ReceiveAsync()).BodyCase);

        // Counters are process-wide and other test classes refuse streams too: this test's own refusals are at least counted.
        Assert.True(await controller.MetricAsync("harbor_agent_streams_rejected_total{reason=\"unauthenticated\"}") >= unauthenticated + 1);
        Assert.True(await controller.MetricAsync("harbor_agent_streams_rejected_total{reason=\"invalid_hello\"}") >= invalidHello + 1);
        Assert.True(await controller.MetricAsync("harbor_inventory_resyncs_total") >= resyncs + 1);
        Assert.True(await controller.MetricAsync("harbor_agent_stream_messages_total{direction=\"out\",type=\"ResyncRequest\"}") >= resyncMessages + 1);
    }

    [Fact]
    public async Task Metrics_ContainersByUpdateStatus_MatchWhatTheApiFilterShows()
    {
        await using var agent = await FakeAgent.ConnectAsync(controller);
        await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"), FakeAgent.Container("c2", "db"), FakeAgent.Container("c3", "cache"));
        await controller.WaitForContainersAsync(agent.AgentId, 3);
        Assert.Equal(3, await controller.MetricAsync("harbor_containers_by_update_status{status=\"unchecked\"}"));
        Assert.Equal(0, await controller.MetricAsync("harbor_containers_by_update_status{status=\"update-available\"}"));

        // What a finished check run leaves behind (the check itself is tested in Checks/): one update, one error.
        await using (var db = await controller.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(TestContext.Current.CancellationToken))
        {
            await db.ExecuteAsync(
                """
                INSERT INTO check_runs (id, triggered_by, scope, status, created_at) VALUES ('run-m', 'api', 'all', 'completed', '2026-01-01T00:00:00.0000000Z');
                INSERT INTO container_checks (host_id, container_id, status, checked_at, check_run_id) VALUES
                    (@host, 'c1', 'update-available', '2026-01-01T00:00:00.0000000Z', 'run-m'),
                    (@host, 'c2', 'error', '2026-01-01T00:00:00.0000000Z', 'run-m');
                """,
                new { host = agent.AgentId });
        }

        var available = await controller.GetContainersAsync("updateStatus=update-available");
        Assert.Equal(available.Count, await controller.MetricAsync("harbor_containers_by_update_status{status=\"update-available\"}"));
        Assert.Equal(1, await controller.MetricAsync("harbor_containers_by_update_status{status=\"update-available\"}"));
        Assert.Equal(1, await controller.MetricAsync("harbor_containers_by_update_status{status=\"error\"}"));
        Assert.Equal(1, await controller.MetricAsync("harbor_containers_by_update_status{status=\"unchecked\"}"));

        // A container that goes away leaves the counts.
        await agent.SendDeltaAsync(2, [], "c1");
        await controller.WaitForContainersAsync(agent.AgentId, 2);
        Assert.Equal(0, await controller.MetricAsync("harbor_containers_by_update_status{status=\"update-available\"}"));
    }

    [Fact]
    public async Task Metrics_UpdateJob_ActiveWhileSent_ThenCountedByOutcomeWithItsDuration()
    {
        await using var agent = FakeAgent.Open(controller.AgentHubAddress, await controller.EnrollAgentAsync(FakeAgent.NewAgentId()));
        var hello = FakeAgent.Hello(agent.AgentId);
        hello.Capabilities.Add("updates.v1");
        await agent.SendAsync(new AgentMessage { Hello = hello });
        Assert.Equal(ControllerMessage.BodyOneofCase.Welcome, (await agent.ReceiveAsync()).BodyCase);
        await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"));
        await controller.WaitForContainersAsync(agent.AgentId, 1);
        var failed = await controller.MetricAsync("harbor_update_jobs_total{outcome=\"failed\"}");
        var durations = await controller.MetricAsync("harbor_update_job_duration_seconds_count{outcome=\"failed\"}");
        var slowOnes = await controller.MetricAsync("harbor_update_job_duration_seconds_bucket{outcome=\"failed\",le=\"5\"}");

        using var response = await controller.PostJsonAsync($"/api/v1/containers/{agent.AgentId}/web/update", new { targetDigest = Digest2, image = "registry.local/app:1" });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var job = (await response.Content.ReadFromJsonAsync<ApiJob>(TestContext.Current.CancellationToken))!;
        var command = await agent.ReceiveAsync();
        Assert.Equal(job.Id, command.UpdateCommand.JobId);
        await Eventually.TrueAsync(async () => await controller.MetricAsync("harbor_update_jobs_active{state=\"sent\"}") == 1, TimeSpan.FromSeconds(5), "the job shows as sent");

        var started = DateTimeOffset.UtcNow;
        await agent.SendAsync(new AgentMessage
        {
            JobResult = new JobResult
            {
                JobId = job.Id,
                Outcome = JobOutcome.Failed,
                ReasonCode = "pull_failed",
                Reason = "Pulling failed: manifest unknown. Nothing was changed.",
                StartedAt = Timestamp.FromDateTimeOffset(started),
                FinishedAt = Timestamp.FromDateTimeOffset(started.AddSeconds(7)),
            },
        });
        Assert.Equal(ControllerMessage.BodyOneofCase.JobResultAck, (await agent.ReceiveAsync()).BodyCase);

        Assert.Equal(0, await controller.MetricAsync("harbor_update_jobs_active{state=\"sent\"}"));
        Assert.Equal(failed + 1, await controller.MetricAsync("harbor_update_jobs_total{outcome=\"failed\"}"));
        Assert.Equal(durations + 1, await controller.MetricAsync("harbor_update_job_duration_seconds_count{outcome=\"failed\"}"));
        // 7 s is above the 5 s bucket: that bucket did not move.
        Assert.Equal(slowOnes, await controller.MetricAsync("harbor_update_job_duration_seconds_bucket{outcome=\"failed\",le=\"5\"}"));
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
