using System.Collections.Concurrent;
using Harbor.EndToEnd.Tests.Updates;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Packaging;

/// <summary>
/// The agent as a home-lab user runs it: the image built by eng/agent-image.sh (once per test run,
/// <see cref="PackagedImages"/>), started with <c>docker run</c> against the real controller with a real
/// enrollment token, the Docker socket mounted and a named volume for its state. The controller listens
/// on loopback, so the agent container uses the host's network, as the wizard's command does then.
/// </summary>
public sealed class AgentImageDeployment : IAsyncLifetime
{
    private readonly TempDirectory data = new("agent-image");
    private readonly ConcurrentBag<string> imageReferences = [];

    public RegistryServer Registry { get; private set; } = null!;

    public ControllerHost Controller { get; private set; } = null!;

    /// <summary>The image of this test run, e.g. harbor-test/agent:1a2b3c4d.</summary>
    public string Image { get; private set; } = "";

    public TimeSpan BuildTime { get; private set; }

    public string AgentContainer { get; } = TestNames.Unique("agent");

    public string AgentContainerId { get; private set; } = "";

    public string StateVolume { get; } = TestNames.Unique("agent-state");

    /// <summary>The host name the agent reports (set explicitly: on the host network it would be this machine's name).</summary>
    public string HostName { get; } = TestNames.Unique("image-host");

    /// <summary>The agent's health/metrics port, on the host's loopback (host network): a free one, not the default 8482.</summary>
    public int HealthPort { get; } = RegistryServer.FreePort();

    public string HostId { get; private set; } = "";

    public string OwnerLabel => $"{TestImages.TestLabel}={data.Path}";

    public async ValueTask InitializeAsync()
    {
        await DockerEngine.RequireAsync();
        await TestImages.EnsureBaseAsync();
        (Image, BuildTime) = await PackagedImages.AgentAsync();

        Registry = await RegistryServer.StartAsync();
        Controller = await ControllerHost.StartAsync(data.Combine("controller"));
        var token = await Controller.CreateEnrollmentTokenAsync();
        await DockerCli.CheckedAsync("volume", "create", "--label", OwnerLabel, StateVolume);
        AgentContainerId = await DockerCli.CheckedAsync(
            "run", "-d", "--name", AgentContainer, "--label", OwnerLabel,
            "--network", "host",
            "-v", "/var/run/docker.sock:/var/run/docker.sock",
            "-v", $"{StateVolume}:/var/lib/harbor-agent",
            "-e", $"Harbor__Agent__ControllerUrl={Controller.AgentHubAddress.GetLeftPart(UriPartial.Authority)}",
            "-e", $"Harbor__Agent__EnrollmentToken={token}",
            "-e", $"Harbor__Agent__HostName={HostName}",
            "-e", $"ASPNETCORE_URLS=http://127.0.0.1:{HealthPort}",
            // The image probes every 30 s; a test does not wait that long for the first result.
            "--health-interval", "2s",
            Image);

        var host = await Eventually.GetAsync(
            async () => (await Controller.GetHostsAsync()).FirstOrDefault(h => h.Online && h.Name == HostName),
            h => h is not null,
            TimeSpan.FromSeconds(60),
            "the agent container connects");
        HostId = host!.Id;
    }

    /// <summary>The agent container's output so far (for failure messages).</summary>
    public async Task<string> AgentLogsAsync() => (await DockerCli.RunAsync("logs", AgentContainer)) is var r ? r.Output + r.Error : "";

    /// <summary>Pushes the two images as tags 1 and 2 of a fresh repository; forgets tag 2 locally so the agent must pull it.</summary>
    public Task<Release> PublishAsync(string oldDockerfile, string newDockerfile) =>
        UpdateDeployment.PublishAsync(Registry, oldDockerfile, newDockerfile, imageReferences.Add);

    public async Task<string> RunAsync(string name, params string[] arguments) =>
        await DockerCli.CheckedAsync(["run", "-d", "--init", "--name", name, "-l", OwnerLabel, .. arguments]);

    public Task<ApiContainer?> WaitForContainerAsync(string name) => Controller.WaitForRunningContainerAsync(HostId, name, TimeSpan.FromSeconds(15));

    public async ValueTask DisposeAsync()
    {
        await DockerCli.RemoveContainersWithLabelAsync(OwnerLabel);
        await DockerCli.RunAsync("volume", "rm", StateVolume);
        await DockerCli.RunAsync(["rmi", .. imageReferences], null);
        if (Controller is not null)
        {
            await Controller.DisposeAsync();
        }

        if (Registry is not null)
        {
            await Registry.DisposeAsync();
        }

        data.Dispose();
    }
}
