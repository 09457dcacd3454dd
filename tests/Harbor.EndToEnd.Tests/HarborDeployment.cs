using Harbor.Testing;

namespace Harbor.EndToEnd.Tests;

/// <summary>A controller (in-process, real ports, real SQLite) and a real agent process on the real engine.</summary>
public sealed class HarborDeployment : IAsyncLifetime
{
    private readonly TempDirectory data = new("e2e");

    private string? enrollmentToken;

    public ControllerHost Controller { get; private set; } = null!;

    public AgentProcess Agent { get; private set; } = null!;

    public string HostId { get; private set; } = "";

    public string AgentStateDirectory => data.Combine("agent");

    public async ValueTask InitializeAsync()
    {
        await DockerEngine.RequireAsync();
        await TestImages.EnsureBaseAsync();
        Controller = await ControllerHost.StartAsync(data.Combine("controller"));
        await StartAgentAsync();
    }

    /// <summary>Starts the agent (again) with the same state directory and waits until its host is online.</summary>
    public async Task StartAgentAsync()
    {
        // The operator's step: an enrollment token from the API in the agent's configuration. It is used
        // once; on a restart the agent already holds its certificate and the same setting is a no-op.
        enrollmentToken ??= await Controller.CreateEnrollmentTokenAsync();
        Agent = AgentProcess.Start(Controller.AgentHubAddress, AgentStateDirectory, enrollmentToken);
        var host = await Eventually.GetAsync(
            async () => (await Controller.GetHostsAsync()).FirstOrDefault(h => h.Online && (HostId.Length == 0 || h.Id == HostId)),
            h => h is not null,
            TimeSpan.FromSeconds(30),
            "the agent connects. Agent output:\n" + Agent.Output);
        HostId = host!.Id;
    }

    /// <summary>Restarts the controller on the same data and the same agent port; the agent reconnects on its own.</summary>
    public async Task RestartControllerAsync()
    {
        var port = Controller.AgentHubAddress.Port;
        await Controller.DisposeAsync();
        Controller = await ControllerHost.StartAsync(data.Combine("controller"), agentHubPort: port);
    }

    public async Task<ApiContainer?> FindContainerAsync(string name) =>
        (await Controller.GetContainersAsync($"host={HostId}&name={name}")).FirstOrDefault(c => c.Name == name);

    public async ValueTask DisposeAsync()
    {
        await DockerCli.RemoveContainersWithLabelAsync($"{TestImages.TestLabel}={data.Path}");
        if (Agent is not null)
        {
            await Agent.DisposeAsync();
        }

        if (Controller is not null)
        {
            await Controller.DisposeAsync();
        }

        data.Dispose();
    }

    /// <summary>Label that ties test containers to this stack, so cleanup never touches anyone else's.</summary>
    public string OwnerLabel => $"{TestImages.TestLabel}={data.Path}";
}
