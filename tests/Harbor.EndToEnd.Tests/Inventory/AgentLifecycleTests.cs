using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Inventory;

/// <summary>Agents crash and controllers restart; the inventory stays truthful through both.</summary>
public sealed class AgentLifecycleTests(HarborDeployment stack) : IClassFixture<HarborDeployment>
{
    [Fact]
    public async Task KilledAgent_HostGoesOffline_RestartedAgentKeepsItsIdAndSendsAFreshSnapshot()
    {
        var hostId = stack.HostId;
        var before = TestNames.Unique("before");
        await DockerCli.CheckedAsync("run", "-d", "--name", before, "-l", stack.OwnerLabel, TestImages.Base, "sleep", "3600");
        // A precondition, not the latency under test (LiveInventoryTests holds that): generous under a loaded CI machine.
        await Eventually.GetAsync(() => stack.FindContainerAsync(before), c => c is not null, TimeSpan.FromSeconds(10), "container seen");

        await stack.Agent.KillAsync();

        await Eventually.GetAsync(
            () => stack.Controller.GetJsonAsync<ApiHost>("/api/v1/hosts/" + hostId), h => !h.Online, TimeSpan.FromSeconds(5), "host offline after the agent is killed");
        Assert.True((await stack.FindContainerAsync(before))!.Stale);

        // While the agent is down the host changes; the new snapshot must show it.
        var whileDown = TestNames.Unique("while-down");
        await DockerCli.CheckedAsync("run", "-d", "--name", whileDown, "-l", stack.OwnerLabel, TestImages.Base, "sleep", "3600");
        await DockerCli.CheckedAsync("rm", "-f", before);

        await stack.StartAgentAsync();

        Assert.Equal(hostId, stack.HostId);
        await Eventually.GetAsync(() => stack.FindContainerAsync(whileDown), c => c is { Stale: false }, TimeSpan.FromSeconds(5), "container created while down appears");
        await Eventually.GetAsync(() => stack.FindContainerAsync(before), c => c is null, TimeSpan.FromSeconds(5), "container removed while down is gone");
        Assert.Single(await stack.Controller.GetHostsAsync(), h => h.Id == hostId);
    }

    [Fact]
    public async Task ControllerRestart_AgentReconnectsByItself_InventorySurvives()
    {
        var name = TestNames.Unique("survive");
        await DockerCli.CheckedAsync("run", "-d", "--name", name, "-l", stack.OwnerLabel, TestImages.Base, "sleep", "3600");
        await Eventually.GetAsync(() => stack.FindContainerAsync(name), c => c is not null, TimeSpan.FromSeconds(10), "container seen");
        await stack.Controller.FlushInventoryAsync();

        await stack.RestartControllerAsync();

        var host = await Eventually.GetAsync(
            () => stack.Controller.GetJsonAsync<ApiHost>("/api/v1/hosts/" + stack.HostId), h => h.Online, TimeSpan.FromSeconds(15),
            "the agent reconnects to the restarted controller. Agent output:\n" + stack.Agent.Output);
        Assert.Equal(stack.HostId, host.Id);
        Assert.False((await Eventually.GetAsync(() => stack.FindContainerAsync(name), c => c is { Stale: false }, TimeSpan.FromSeconds(5), "fresh again"))!.Stale);
    }
}
