using System.Net;
using System.Text.Json;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Security;

/// <summary>
/// The real agent binary enrolls with a token, pins the controller's CA, connects over TLS with its
/// own certificate, refuses a controller with another CA, and is cut off when revoked.
/// </summary>
public sealed class AgentEnrollmentTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("e2e-enroll");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync()
    {
        await DockerEngine.RequireAsync();
        controller = await ControllerHost.StartAsync(data.Combine("controller"));
    }

    [Fact]
    public async Task Agent_EnrollsOnce_KeepsItsKeyOwnerOnly_AndReconnectsWithoutTheToken()
    {
        var state = data.Combine("agent");
        var token = await controller.CreateEnrollmentTokenAsync();
        string hostId;
        await using (var agent = AgentProcess.Start(controller.AgentHubAddress, state, token))
        {
            hostId = (await WaitOnlineAsync(agent)).Id;
        }

        Assert.True(File.Exists(Path.Combine(state, "agent.crt")));
        Assert.True(File.Exists(Path.Combine(state, "controller-ca.crt")));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(state, "agent.key")));
        }

        var tokens = await controller.GetJsonAsync<JsonElement>("/api/v1/agents/enrollment-tokens");
        Assert.Equal(hostId, tokens.EnumerateArray().Single().GetProperty("usedByAgent").GetString());

        // Restarted with no token at all: the stored certificate is the credential now.
        await using var restarted = AgentProcess.Start(controller.AgentHubAddress, state, enrollmentToken: null);
        Assert.Equal(hostId, (await WaitOnlineAsync(restarted)).Id);
        Assert.Contains("Using the agent certificate", restarted.Output);
    }

    [Fact]
    public async Task Agent_PointedAtAControllerWithAnotherCa_DoesNotSendItsToken()
    {
        using var otherData = new TempDirectory("e2e-impostor");
        await using var impostor = await ControllerHost.StartAsync(otherData.Path);
        var token = await controller.CreateEnrollmentTokenAsync();

        await using var agent = AgentProcess.Start(impostor.AgentHubAddress, data.Combine("agent-misdirected"), token);

        await Eventually.TrueAsync(() => Task.FromResult(agent.Output.Contains("different CA", StringComparison.Ordinal)), TimeSpan.FromSeconds(30),
            "the agent refuses the impostor. Output:\n" + agent.Output);
        Assert.Contains("the enrollment secret was not sent", agent.Output);
        Assert.Empty(await impostor.GetHostsAsync());
        var impostorAudit = await impostor.GetJsonAsync<ApiPage<JsonElement>>("/api/v1/audit?action=EnrollAgent");
        Assert.Empty(impostorAudit.Items);
        var tokens = await controller.GetJsonAsync<JsonElement>("/api/v1/agents/enrollment-tokens");
        Assert.Equal("pending", tokens.EnumerateArray().Single().GetProperty("status").GetString());
        Assert.False(File.Exists(Path.Combine(data.Combine("agent-misdirected"), "agent.crt")));
    }

    [Fact]
    public async Task RevokedAgent_IsCutOff_AndStaysOffline()
    {
        await using var agent = AgentProcess.Start(controller.AgentHubAddress, data.Combine("agent-revoked"), await controller.CreateEnrollmentTokenAsync());
        var host = await WaitOnlineAsync(agent);

        using var revoke = await controller.Api.PostAsync($"/api/v1/agents/{host.Id}/revoke", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);

        await Eventually.GetAsync(() => controller.GetJsonAsync<ApiHost>("/api/v1/hosts/" + host.Id), h => !h.Online, TimeSpan.FromSeconds(5), "offline at once");
        await Eventually.TrueAsync(() => Task.FromResult(agent.Output.Contains("was revoked", StringComparison.Ordinal)), TimeSpan.FromSeconds(15),
            "the agent is told why. Output:\n" + agent.Output);
        await Task.Delay(TimeSpan.FromSeconds(3), TestContext.Current.CancellationToken);
        Assert.False((await controller.GetJsonAsync<ApiHost>("/api/v1/hosts/" + host.Id)).Online);
        Assert.False(agent.HasExited, "the agent keeps running (and retrying) so an operator can re-enroll it");
    }

    [Fact]
    public async Task LocalAgentTokenFile_TheAgentBesideTheControllerWaitsForIt_EnrollsFromIt_AndRestartsMintNoNewToken()
    {
        // As docker compose starts them: the agent may come first; both see one file (a shared volume).
        var tokenFile = data.Combine("local-agent", "enrollment-token");
        var hubPort = RegistryServer.FreePort();
        var settings = new Dictionary<string, string?> { ["Harbor:Controller:Agents:LocalAgentTokenFile"] = tokenFile };
        await using var agent = AgentProcess.Start(new Uri($"https://127.0.0.1:{hubPort}"), data.Combine("local-agent-state"), enrollmentToken: null,
            new Dictionary<string, string> { ["Harbor__Agent__EnrollmentTokenFile"] = tokenFile });
        await Eventually.TrueAsync(() => Task.FromResult(agent.Output.Contains($"waits for its enrollment token in {tokenFile}", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(30), "the agent says what it waits for. Output:\n" + agent.Output);
        // Waiting is not a failure: no error about a controller that rejected it.
        Assert.DoesNotContain("rejected this agent", agent.Output, StringComparison.Ordinal);

        var controllerData = data.Combine("local-controller");
        var local = await ControllerHost.StartAsync(controllerData, settings: settings, agentHubPort: hubPort);
        try
        {
            var host = await Eventually.GetAsync(
                async () => (await local.GetHostsAsync()).FirstOrDefault(h => h.Online), h => h is not null, TimeSpan.FromSeconds(45),
                "the agent enrolls from the file. Output:\n" + agent.Output);
            var written = await File.ReadAllTextAsync(tokenFile, TestContext.Current.CancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
            }

            var token = Assert.Single((await local.GetJsonAsync<JsonElement>("/api/v1/agents/enrollment-tokens")).EnumerateArray());
            Assert.Equal(("used", host!.Id, "local agent (Harbor:Controller:Agents:LocalAgentTokenFile)"),
                (token.GetProperty("status").GetString(), token.GetProperty("usedByAgent").GetString(), token.GetProperty("description").GetString()));

            // Restarted: the used token stays (the agent has its certificate); no standing token is minted.
            await local.DisposeAsync();
            local = await ControllerHost.StartAsync(controllerData, settings: settings, agentHubPort: hubPort);
            Assert.Equal(written, await File.ReadAllTextAsync(tokenFile, TestContext.Current.CancellationToken));
            Assert.Single((await local.GetJsonAsync<JsonElement>("/api/v1/agents/enrollment-tokens")).EnumerateArray());

            // A file that holds no token of this controller (copied from elsewhere, damaged) is replaced by a fresh one.
            await File.WriteAllTextAsync(tokenFile, "not a token", TestContext.Current.CancellationToken);
            await local.DisposeAsync();
            local = await ControllerHost.StartAsync(controllerData, settings: settings, agentHubPort: hubPort);
            Assert.StartsWith("hbe1.", await File.ReadAllTextAsync(tokenFile, TestContext.Current.CancellationToken), StringComparison.Ordinal);
            Assert.Contains((await local.GetJsonAsync<JsonElement>("/api/v1/agents/enrollment-tokens")).EnumerateArray(), t => t.GetProperty("status").GetString() == "pending");
        }
        finally
        {
            await local.DisposeAsync();
        }
    }

    private async Task<ApiHost> WaitOnlineAsync(AgentProcess agent) =>
        (await Eventually.GetAsync(
            async () => (await controller.GetHostsAsync()).FirstOrDefault(h => h.Online),
            h => h is not null,
            TimeSpan.FromSeconds(30),
            "the agent connects. Output:\n" + agent.Output))!;

    public async ValueTask DisposeAsync()
    {
        if (controller is not null)
        {
            await controller.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
