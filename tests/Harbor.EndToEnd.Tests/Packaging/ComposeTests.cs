using System.Text.Json;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Packaging;

/// <summary>
/// deploy/compose.yaml as a home-lab user runs it (docker-compose, the images the scripts built): the
/// controller and the local agent come up together, and the agent enrolls by itself through the volume they
/// share, without anyone copying a token.
/// </summary>
public sealed class ComposeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string project = TestNames.Unique("harbor-compose").Replace("-", "", StringComparison.Ordinal).ToLowerInvariant();
    private readonly string hostName = TestNames.Unique("compose-host");
    private readonly int hubPort = RegistryServer.FreePort();
    private ControllerContainer controller = null!;
    private Dictionary<string, string> environment = [];

    public async ValueTask InitializeAsync()
    {
        await DockerEngine.RequireAsync();
        var images = await Task.WhenAll(PackagedImages.ControllerAsync(), PackagedImages.AgentAsync());
        controller = new ControllerContainer($"{project}_controller_1", RegistryServer.FreePort());
        environment = new Dictionary<string, string>
        {
            ["HARBOR_CONTROLLER_IMAGE"] = images[0].Tag,
            ["HARBOR_AGENT_IMAGE"] = images[1].Tag,
            ["HARBOR_WEB_PORT"] = controller.WebAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HARBOR_HUB_PORT"] = hubPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HARBOR_HOST_NAME"] = hostName,
        };
        await ComposeAsync("up", "-d");
    }

    [Fact]
    public async Task ComposeUp_TheAgentEnrollsByItself_AndTheWizardFindsItsHostOnline()
    {
        await controller.WaitUntilHealthyAsync();
        await controller.CompleteFirstRunAsync();

        var host = await Eventually.GetAsync(
            async () => (await controller.GetHostsAsync()).FirstOrDefault(h => h.Name == hostName && h.Online),
            h => h is not null,
            TimeSpan.FromSeconds(60),
            "the compose agent enrolls and connects");
        var tokens = JsonDocument.Parse(await controller.Admin.GetStringAsync("/api/v1/agents/enrollment-tokens", TestContext.Current.CancellationToken)).RootElement;
        var token = Assert.Single(tokens.EnumerateArray());
        Assert.Equal(("used", host!.Id), (token.GetProperty("status").GetString(), token.GetProperty("usedByAgent").GetString()));
        Assert.Null(token.GetProperty("createdBy").GetString());
        // The agent sees its own engine: the compose project's containers are in the inventory.
        await Eventually.TrueAsync(
            async () => (await controller.Admin.GetAsync($"/api/v1/containers/{host.Id}/{project}_agent_1/policy")).IsSuccessStatusCode,
            TimeSpan.FromSeconds(15),
            "the agent's own container is in the inventory");
    }

    public async ValueTask DisposeAsync()
    {
        if (controller is not null)
        {
            output.WriteLine((await DockerCli.RunAsync("logs", $"{project}_agent_1")) is var logs ? logs.Output + logs.Error : "");
            controller.Dispose();
        }

        await ComposeAsync("down", "-v");
    }

    private Task<string> ComposeAsync(params string[] arguments) =>
        LocalProcess.RunAsync("docker-compose", ["-p", project, "-f", Path.Combine(RepositoryPaths.Root, "deploy", "compose.yaml"), .. arguments], environment);
}
