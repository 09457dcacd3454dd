using System.Net;
using System.Text.Json;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Packaging;

/// <summary>
/// The controller container image (eng/controller-image.sh) on the real engine: healthy by its own
/// HEALTHCHECK as an unprivileged user, first run from <c>docker logs</c>, a real agent enrolls over the
/// published hub port, and everything (users, sessions, the agent CA, hosts) survives a restart in the volume.
/// </summary>
public sealed class ControllerImageTests(ControllerImageDeployment stack, ITestOutputHelper output) : IClassFixture<ControllerImageDeployment>
{
    [Fact]
    public async Task DockerRun_TurnsHealthy_AsAnUnprivilegedUser_WithItsDataInTheVolume()
    {
        var size = long.Parse(await DockerCli.CheckedAsync("image", "inspect", "--format", "{{.Size}}", stack.Image), System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"image {stack.Image}: built in {stack.BuildTime.TotalSeconds:0} s, {size / 1024.0 / 1024.0:0.0} MiB");

        await stack.Controller.WaitUntilHealthyAsync();
        var log = JsonDocument.Parse(await stack.Controller.InspectAsync("{{json .State.Health.Log}}")).RootElement;
        // Healthy, or Degraded while a known host is offline (after the other test's restart): both are 200.
        Assert.StartsWith("http://127.0.0.1:8480/health: 200 ", log[log.GetArrayLength() - 1].GetProperty("Output").GetString(), StringComparison.Ordinal);
        Assert.Equal("10001:10001", await stack.Controller.InspectAsync("{{.Config.User}}"));
        Assert.Equal("/var/lib/harbor", await stack.Controller.InspectAsync("{{range .Mounts}}{{if eq .Name \"" + stack.DataVolume + "\"}}{{.Destination}}{{end}}{{end}}"));
        var logs = await stack.Controller.LogsAsync();
        Assert.Contains("Database /var/lib/harbor/harbor.db ready", logs, StringComparison.Ordinal);
        // ASPNETCORE_HTTP_PORTS, not URLS: Kestrel would warn that the controller's own listeners override it.
        Assert.DoesNotContain("Overriding address", logs, StringComparison.Ordinal);
        using var anonymous = new HttpClient { BaseAddress = stack.Controller.WebAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/hosts", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task FirstRun_AgentEnrollsThroughThePublishedPort_AndARestartKeepsUsersSessionsAndHosts()
    {
        using var agentState = new TempDirectory("controller-image-agent");
        var hostName = TestNames.Unique("image-controller-host");
        await stack.Controller.CompleteFirstRunAsync();
        await using var agent = AgentProcess.Start(stack.HubAddress, agentState.Path, await stack.Controller.CreateEnrollmentTokenAsync(),
            new Dictionary<string, string> { ["Harbor__Agent__HostName"] = hostName });

        var host = await Eventually.GetAsync(
            async () => (await stack.Controller.GetHostsAsync()).FirstOrDefault(h => h.Name == hostName && h.Online),
            h => h is not null,
            TimeSpan.FromSeconds(60),
            "the agent enrolls and connects through the published hub port");
        // The controller's own container is in the inventory, and Harbor leaves it alone (the image says harbor.enable=false).
        var policy = await Eventually.GetAsync(
            async () => await stack.Controller.Admin.GetAsync($"/api/v1/containers/{host!.Id}/{stack.Controller.Name}/policy"),
            response => response.IsSuccessStatusCode,
            TimeSpan.FromSeconds(15),
            "the controller's container appears in the inventory");
        Assert.False(JsonDocument.Parse(await policy.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement.GetProperty("enabled").GetBoolean());

        await DockerCli.CheckedAsync("restart", stack.Controller.Name);
        await stack.Controller.WaitUntilHealthyAsync();

        // Same session (users, sessions and the Data Protection keys are in the volume), same CA (the agent's
        // certificate is still trusted: it reconnects by itself), and no new setup token: an admin exists.
        var back = await Eventually.GetAsync(
            async () => (await stack.Controller.GetHostsAsync()).SingleOrDefault(h => h.Id == host!.Id),
            h => h is { Online: true } && h.ConnectedAt > host!.ConnectedAt,
            TimeSpan.FromSeconds(60),
            "the agent reconnects to the restarted controller" + "\n" + agent.Output);
        Assert.Equal(hostName, back!.Name);
        Assert.Single((await stack.Controller.LogsAsync()).Split('\n'), line => line.Contains("one-time setup token", StringComparison.Ordinal));
    }
}
