using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Harbor.Controller.Tests.Agents;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Security;

/// <summary>
/// Agents over real TLS: enrollment tokens are single-use and expire, each stream is bound to its
/// certificate's agent, a certificate from another CA is refused, revocation cuts a stream at once.
/// </summary>
public sealed class AgentIdentityTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("agent-identity");
    private readonly FakeTimeProvider clock = new(DateTimeOffset.UtcNow);
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await ControllerHost.StartAsync(data.Path, clock);

    [Fact]
    public async Task Token_EmbedsTheCaFingerprint_AndEnrollsExactlyOneAgent()
    {
        var token = await controller.CreateEnrollmentTokenAsync();
        var ca = await controller.GetJsonAsync<JsonElement>("/api/v1/agents/ca");
        Assert.EndsWith("." + ca.GetProperty("fingerprint").GetString(), token);

        var first = await TestAgentCredential.EnrollAsync(controller.AgentHubAddress, token, FakeAgent.NewAgentId());
        Assert.Equal($"CN={first.AgentId}, O=Harbor agent", first.Certificate.Subject);

        var reuse = await Assert.ThrowsAsync<RpcException>(() => TestAgentCredential.EnrollAsync(controller.AgentHubAddress, token, FakeAgent.NewAgentId()));
        Assert.Equal(StatusCode.Unauthenticated, reuse.StatusCode);
        Assert.Contains("already used", reuse.Status.Detail);
        var tokens = await controller.GetJsonAsync<JsonElement>("/api/v1/agents/enrollment-tokens");
        Assert.Equal("used", tokens.EnumerateArray().Single().GetProperty("status").GetString());
    }

    [Fact]
    public async Task ExpiredOrRevokedToken_IsRefused()
    {
        var expiring = await controller.CreateEnrollmentTokenAsync(expiresInHours: 1);
        clock.Advance(TimeSpan.FromMinutes(61));
        var expired = await Assert.ThrowsAsync<RpcException>(() => TestAgentCredential.EnrollAsync(controller.AgentHubAddress, expiring, FakeAgent.NewAgentId()));
        Assert.Contains("expired", expired.Status.Detail);

        var revoked = await controller.CreateEnrollmentTokenAsync();
        using var revoke = await controller.Api.DeleteAsync($"/api/v1/agents/enrollment-tokens/{revoked.Split('.')[1]}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var refused = await Assert.ThrowsAsync<RpcException>(() => TestAgentCredential.EnrollAsync(controller.AgentHubAddress, revoked, FakeAgent.NewAgentId()));
        Assert.Contains("revoked", refused.Status.Detail);

        var forged = string.Join('.', revoked.Split('.') is var p ? [p[0], p[1], "forged-secret", p[3]] : []);
        var wrongSecret = await Assert.ThrowsAsync<RpcException>(() => TestAgentCredential.EnrollAsync(controller.AgentHubAddress, forged, FakeAgent.NewAgentId()));
        Assert.Equal(StatusCode.Unauthenticated, wrongSecret.StatusCode);
    }

    [Fact]
    public async Task RevokedToken_IsListedWithWhoRevokedItAndWhen()
    {
        var byKey = (await controller.CreateEnrollmentTokenAsync()).Split('.')[1];
        var bySession = (await controller.CreateEnrollmentTokenAsync()).Split('.')[1];
        var pending = (await controller.CreateEnrollmentTokenAsync()).Split('.')[1];
        clock.Advance(TimeSpan.FromMinutes(3));
        var revokedAt = clock.GetUtcNow();

        using (var revoke = await controller.Api.DeleteAsync($"/api/v1/agents/enrollment-tokens/{byKey}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        using var admin = await controller.SignInAsync(ControllerHost.AdminUserName, ControllerHost.AdminPassword);
        using (var revoke = await admin.DeleteAsync($"/api/v1/agents/enrollment-tokens/{bySession}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        var tokens = (await controller.GetJsonAsync<JsonElement>("/api/v1/agents/enrollment-tokens")).EnumerateArray()
            .ToDictionary(t => t.GetProperty("id").GetString()!, t => t);
        Assert.Equal(("revoked", "api_key:test bootstrap admin", revokedAt), RevocationOf(tokens[byKey]));
        Assert.Equal(("revoked", "user:" + ControllerHost.AdminUserName, revokedAt), RevocationOf(tokens[bySession]));
        Assert.Equal(JsonValueKind.Null, tokens[pending].GetProperty("revokedBy").ValueKind);

        static (string?, string?, DateTimeOffset) RevocationOf(JsonElement token) =>
            (token.GetProperty("status").GetString(), token.GetProperty("revokedBy").GetString(), token.GetProperty("revokedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Credential_RecordsItsLastUse_OncePerStream_NotPerHeartbeat()
    {
        var credential = await controller.EnrollAgentAsync(FakeAgent.NewAgentId());
        Assert.Equal(JsonValueKind.Null, (await CredentialAsync(credential.AgentId)).GetProperty("lastUsedAt").ValueKind);

        clock.Advance(TimeSpan.FromMinutes(5));
        var firstStream = clock.GetUtcNow();
        await using (var agent = await FakeAgent.ConnectAsync(controller, credential: credential))
        {
            Assert.Equal((firstStream, "127.0.0.1"), LastUseOf(await CredentialAsync(credential.AgentId)));

            // A heartbeat keeps the host seen; it is not a new use of the credential (no write per heartbeat).
            clock.Advance(TimeSpan.FromSeconds(5));
            await agent.SendHeartbeatAsync();
            var sent = clock.GetUtcNow();
            await Eventually.TrueAsync(
                async () => (await controller.GetJsonAsync<ApiHost>("/api/v1/hosts/" + agent.AgentId)).LastSeenAt >= sent.AddTicks(-10), TimeSpan.FromSeconds(15), "heartbeat received");
            Assert.Equal((firstStream, "127.0.0.1"), LastUseOf(await CredentialAsync(credential.AgentId)));
        }

        clock.Advance(TimeSpan.FromHours(1));
        var secondStream = clock.GetUtcNow();
        await using var again = await FakeAgent.ConnectAsync(controller, credential: credential);
        Assert.Equal((secondStream, "127.0.0.1"), LastUseOf(await CredentialAsync(credential.AgentId)));

        static (DateTimeOffset, string?) LastUseOf(JsonElement listed) =>
            (listed.GetProperty("lastUsedAt").GetDateTimeOffset(), listed.GetProperty("lastUsedFrom").GetString());
    }

    [Fact]
    public async Task RefusedStream_IsNotALastUse()
    {
        var credential = await controller.EnrollAgentAsync(FakeAgent.NewAgentId());
        using (var revoke = await controller.Api.PostAsync($"/api/v1/agents/{credential.AgentId}/revoke", null, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        }

        await using var agent = FakeAgent.Open(controller.AgentHubAddress, credential);
        Assert.Equal(StatusCode.Unauthenticated, (await SendHelloAndWaitForEndAsync(agent)).StatusCode);

        Assert.Equal(JsonValueKind.Null, (await CredentialAsync(credential.AgentId)).GetProperty("lastUsedAt").ValueKind);
    }

    [Fact]
    public async Task ActiveAgentId_CannotBeTakenOverWithAnotherToken_UntilRevoked()
    {
        var agentId = FakeAgent.NewAgentId();
        await controller.EnrollAgentAsync(agentId);

        var takeover = await Assert.ThrowsAsync<RpcException>(() => controller.EnrollAgentAsync(agentId));
        Assert.Equal(StatusCode.AlreadyExists, takeover.StatusCode);

        using var revoke = await controller.Api.PostAsync($"/api/v1/agents/{agentId}/revoke", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var again = await controller.EnrollAgentAsync(agentId);
        await using var connected = await FakeAgent.ConnectAsync(controller, credential: again);
    }

    [Fact]
    public async Task Hello_ForAnotherAgentId_IsPermissionDenied()
    {
        var credential = await controller.EnrollAgentAsync(FakeAgent.NewAgentId());
        var victim = FakeAgent.NewAgentId();
        await using var agent = FakeAgent.Open(controller.AgentHubAddress, credential, agentId: victim);

        await agent.SendAsync(new AgentMessage { Hello = FakeAgent.Hello(victim) });
        var status = await agent.WaitForEndAsync();

        Assert.Equal(StatusCode.PermissionDenied, status.StatusCode);
        Assert.Contains(credential.AgentId, status.Detail);
        Assert.DoesNotContain(await controller.GetHostsAsync(), h => h.Id == victim);
    }

    [Fact]
    public async Task RevokedAgent_IsCutOffAtOnce_AndCannotReconnect()
    {
        await using var agent = await FakeAgent.ConnectAsync(controller);
        Assert.True((await controller.GetJsonAsync<ApiHost>("/api/v1/hosts/" + agent.AgentId)).Online);

        using var revoke = await controller.Api.PostAsync($"/api/v1/agents/{agent.AgentId}/revoke", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        var ended = await agent.WaitForEndAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(StatusCode.Aborted, ended.StatusCode);
        Assert.Contains("revoked", ended.Detail);
        await Eventually.TrueAsync(async () => !(await controller.GetJsonAsync<ApiHost>("/api/v1/hosts/" + agent.AgentId)).Online, TimeSpan.FromSeconds(5), "host offline");

        await using var reconnect = FakeAgent.Open(controller.AgentHubAddress, agent.Credential!);
        var refused = await SendHelloAndWaitForEndAsync(reconnect);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.Contains("revoked", refused.Detail);
        var listed = await controller.GetJsonAsync<JsonElement>("/api/v1/agents");
        Assert.Equal("revoked", listed.EnumerateArray().Single(a => a.GetProperty("agentId").GetString() == agent.AgentId).GetProperty("status").GetString());
    }

    [Fact]
    public async Task CertificateFromAnotherControllersCa_IsRefused()
    {
        using var otherData = new TempDirectory("other-controller");
        TestAgentCredential foreign;
        await using (var other = await ControllerHost.StartAsync(otherData.Path))
        {
            foreign = await other.EnrollAgentAsync(FakeAgent.NewAgentId());
        }

        // The agent trusts this controller's CA (so TLS gets as far as the client certificate) but presents the other CA's certificate.
        var ours = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
            (await controller.GetJsonAsync<JsonElement>("/api/v1/agents/ca")).GetProperty("certificatePem").GetString());
        await using var agent = FakeAgent.Open(controller.AgentHubAddress, foreign with { Ca = ours });

        var status = await SendHelloAndWaitForEndAsync(agent);

        Assert.NotEqual(StatusCode.OK, status.StatusCode);
        Assert.DoesNotContain(await controller.GetHostsAsync(), h => h.Id == foreign.AgentId);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Enrollment_IsAudited_WithTheAgentAsActor()
    {
        var credential = await controller.EnrollAgentAsync(FakeAgent.NewAgentId(), "audited-host");

        var audit = await controller.GetJsonAsync<ApiPage<JsonElement>>("/api/v1/audit?action=EnrollAgent");

        var entry = Assert.Single(audit.Items, e => e.GetProperty("actorId").GetString() == credential.AgentId);
        Assert.Equal("agent", entry.GetProperty("actorKind").GetString());
        Assert.Equal("success", entry.GetProperty("outcome").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("remoteIp").GetString());
    }

    /// <summary>The agent's one credential as <c>GET /api/v1/agents</c> lists it.</summary>
    private async Task<JsonElement> CredentialAsync(string agentId) =>
        (await controller.GetJsonAsync<JsonElement>("/api/v1/agents")).EnumerateArray().Single(a => a.GetProperty("agentId").GetString() == agentId);

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
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return new Status(StatusCode.Unavailable, e.Message);
        }

        return await agent.WaitForEndAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
