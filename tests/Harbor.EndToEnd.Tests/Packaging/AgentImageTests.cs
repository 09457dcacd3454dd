using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.EndToEnd.Tests.Updates;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Packaging;

/// <summary>
/// The agent container image (eng/agent-image.sh) on the real engine: it enrolls with a token, reports
/// its host, runs a digest-pinned update, stays healthy by its own HEALTHCHECK, and will not replace itself.
/// </summary>
public sealed class AgentImageTests(AgentImageDeployment stack, ITestOutputHelper output) : IClassFixture<AgentImageDeployment>
{
    private static readonly object QuickVerify = new { stabilityWindowSeconds = 2 };

    [Fact]
    public async Task DockerRun_WithAnEnrollmentToken_ReportsTheHostAndItsContainers()
    {
        var size = long.Parse(await DockerCli.CheckedAsync("image", "inspect", "--format", "{{.Size}}", stack.Image), System.Globalization.CultureInfo.InvariantCulture);
        output.WriteLine($"image {stack.Image}: built in {stack.BuildTime.TotalSeconds:0} s, {size / 1024.0 / 1024.0:0.0} MiB");
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("seen");
        await stack.RunAsync(name, release.OldTag);

        var host = (await stack.Controller.GetHostsAsync()).Single(h => h.Id == stack.HostId);
        Assert.True(host.EngineReachable, host.EngineError);
        Assert.Equal("0.1.0", host.AgentVersion);
        Assert.Equal("linux", host.Os);
        var seen = await stack.WaitForContainerAsync(name);
        Assert.Equal(release.OldTag, seen!.Image);

        // The agent's own container is in the inventory, marked by the image's labels, and Harbor's policy leaves it alone.
        var self = await stack.WaitForContainerAsync(stack.AgentContainer);
        Assert.Equal(stack.AgentContainerId, self!.Id);
        Assert.Equal("agent", self.Labels["harbor.role"]);
        Assert.Equal("false", self.Labels["harbor.enable"]);
        Assert.Equal("0.1.0", self.Labels["org.opencontainers.image.version"]);
        var policy = await stack.Controller.GetJsonAsync<JsonElement>($"/api/v1/containers/{stack.HostId}/{stack.AgentContainer}/policy");
        Assert.False(policy.GetProperty("enabled").GetBoolean(), policy.ToString());
    }

    [Fact]
    public async Task Healthcheck_AgentConnected_ContainerTurnsHealthy_AndRunsAsTheImageSays()
    {
        var health = await Eventually.GetAsync(
            () => UpdateDeployment.InspectAsync(stack.AgentContainer, "{{.State.Health.Status}}"),
            status => status == "healthy",
            TimeSpan.FromSeconds(40),
            "the agent container's HEALTHCHECK (Harbor.Agent health) passes");
        Assert.Equal("healthy", health);
        // The probe asked the agent's own port (ASPNETCORE_URLS), not the default 8482.
        var log = JsonDocument.Parse(await UpdateDeployment.InspectAsync(stack.AgentContainer, "{{json .State.Health.Log}}")).RootElement;
        var probe = log[log.GetArrayLength() - 1].GetProperty("Output").GetString();
        Assert.Equal($"http://127.0.0.1:{stack.HealthPort}/health: 200 Healthy", probe?.Trim());

        // The state lives in the volume: the agent's identity and certificate survive a new container.
        Assert.Equal("/var/lib/harbor-agent", await UpdateDeployment.InspectAsync(stack.AgentContainer, "{{range .Mounts}}{{if eq .Name \"" + stack.StateVolume + "\"}}{{.Destination}}{{end}}{{end}}"));
        Assert.Equal("[/app/Harbor.Agent]", await UpdateDeployment.InspectAsync(stack.AgentContainer, "{{.Config.Entrypoint}}"));
    }

    [Fact]
    public async Task Update_ThroughTheContainerAgent_InstallsThePinnedDigest()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("updated");
        var oldId = await stack.RunAsync(name, "-e", "GREETING=custom", release.OldTag);
        await stack.WaitForContainerAsync(name);

        using var response = await stack.Controller.PostJsonAsync(
            $"/api/v1/containers/{stack.HostId}/{name}/update", new { targetDigest = release.NewDigest, verify = QuickVerify });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var created = (await response.Content.ReadFromJsonAsync<ApiJob>(TestContext.Current.CancellationToken))!;
        var job = await stack.Controller.WaitForJobAsync(created.Id, TimeSpan.FromSeconds(90));

        Assert.True(job.Outcome == "succeeded", $"{job.Outcome}: {job.Reason}\n{await stack.AgentLogsAsync()}");
        Assert.Equal(release.NewDigest, job.ToDigest);
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        Assert.NotEqual(oldId, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
        Assert.Contains("GREETING=custom", await UpdateDeployment.InspectAsync(name, "{{json .Config.Env}}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_TheAgentsOwnContainer_IsRefusedAndItKeepsRunning()
    {
        // Knows itself by container id (not only by the image's label): it says so at start.
        var logs = await stack.AgentLogsAsync();
        Assert.Contains($"Running in container {stack.AgentContainerId[..12]}", logs, StringComparison.Ordinal);

        // An explicit target, so the controller needs no registry to resolve the agent's local image.
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        using var response = await stack.Controller.PostJsonAsync(
            $"/api/v1/containers/{stack.HostId}/{stack.AgentContainer}/update", new { image = release.OldTag, targetDigest = release.NewDigest });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var created = (await response.Content.ReadFromJsonAsync<ApiJob>(TestContext.Current.CancellationToken))!;
        var job = await stack.Controller.WaitForJobAsync(created.Id, TimeSpan.FromSeconds(60));

        Assert.Equal("refused", job.Outcome);
        Assert.Contains("the Harbor agent's own container", job.Reason, StringComparison.Ordinal);
        Assert.Equal(["check"], job.Steps.Select(s => s.Step));
        Assert.Equal(stack.AgentContainerId, await UpdateDeployment.InspectAsync(stack.AgentContainer, "{{.Id}}"));
        Assert.Equal("running", await UpdateDeployment.InspectAsync(stack.AgentContainer, "{{.State.Status}}"));
        Assert.True((await stack.Controller.GetHostsAsync()).Single(h => h.Id == stack.HostId).Online);
    }
}
