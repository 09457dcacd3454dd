using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Web;

/// <summary>
/// A controller on its very first run (no admin, a setup token in its log) with enable_mfa on, a
/// registry that needs a login, and a labelled container on the engine, so the first agent has
/// something to report. The agent is started by the test, with the token the wizard shows.
/// </summary>
public sealed class FirstRunDeployment : IAsyncLifetime
{
    public const string RegistryUser = "wizard";
    public const string RegistryPassword = "wizard-registry-secret";

    private readonly TempDirectory data = new("first-run");

    public ControllerHost Controller { get; private set; } = null!;

    public RegistryServer Registry { get; private set; } = null!;

    public AgentProcess? Agent { get; set; }

    public string OwnerLabel => $"{TestImages.TestLabel}={data.Path}";

    public string AgentDirectory => data.Combine("agent");

    public async ValueTask InitializeAsync()
    {
        await DockerEngine.RequireAsync();
        await TestImages.EnsureBaseAsync();
        Registry = await RegistryServer.StartAsync(RegistryUser, RegistryPassword, login: false);
        Controller = await ControllerHost.StartAsync(data.Combine("controller"), bootstrapAdmin: false,
            settings: new Dictionary<string, string?> { ["Harbor:Features:enable_mfa"] = "true" });
        await DockerCli.CheckedAsync("run", "-d", "--init", "--name", TestNames.Unique("wizard"), "-l", OwnerLabel, TestImages.Base, "sleep", "3600");
    }

    public async ValueTask DisposeAsync()
    {
        await DockerCli.RemoveContainersWithLabelAsync(OwnerLabel);
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

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
