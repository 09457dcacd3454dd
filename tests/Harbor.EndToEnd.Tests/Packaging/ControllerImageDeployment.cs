using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Packaging;

/// <summary>
/// The controller as a user runs it from its image: built by eng/controller-image.sh (once per test run,
/// <see cref="PackagedImages"/>), started with <c>docker run</c>, a named volume for its data and both ports
/// published on free loopback ports.
/// </summary>
public sealed class ControllerImageDeployment : IAsyncLifetime
{
    private readonly TempDirectory data = new("controller-image");

    /// <summary>The image of this test run, e.g. harbor-test/controller:1a2b3c4d.</summary>
    public string Image { get; private set; } = "";

    public TimeSpan BuildTime { get; private set; }

    public string DataVolume { get; } = TestNames.Unique("controller-data");

    public int HubPort { get; } = RegistryServer.FreePort();

    public Uri HubAddress => new($"https://127.0.0.1:{HubPort}");

    public ControllerContainer Controller { get; } = new(TestNames.Unique("controller"), RegistryServer.FreePort());

    public string OwnerLabel => $"{TestImages.TestLabel}={data.Path}";

    public async ValueTask InitializeAsync()
    {
        (Image, BuildTime) = await PackagedImages.ControllerAsync();
        await DockerCli.CheckedAsync("volume", "create", "--label", OwnerLabel, DataVolume);
        await DockerCli.CheckedAsync(
            "run", "-d", "--name", Controller.Name, "--label", OwnerLabel,
            "-p", $"127.0.0.1:{Controller.WebAddress.Port}:8480",
            "-p", $"127.0.0.1:{HubPort}:8481",
            "-v", $"{DataVolume}:/var/lib/harbor",
            // The image probes every 30 s; a test does not wait that long for the first result.
            "--health-interval", "2s",
            Image);
        await Controller.WaitUntilHealthyAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Controller.Dispose();
        await DockerCli.RemoveContainersWithLabelAsync(OwnerLabel);
        await DockerCli.RunAsync("volume", "rm", DataVolume);
        data.Dispose();
    }
}
