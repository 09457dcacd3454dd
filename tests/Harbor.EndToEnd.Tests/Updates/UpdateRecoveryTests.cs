using Harbor.Controller.Agents;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.EndToEnd.Tests.Updates;

/// <summary>
/// Crashes and restarts in the middle of a job: the agent killed at the worst moment, the controller
/// restarted while the agent works, a command delivered twice. Nothing is lost and nothing runs twice.
/// </summary>
public sealed class UpdateRecoveryTests(UpdateDeployment stack) : IClassFixture<UpdateDeployment>
{
    [Fact]
    public async Task AgentKilledAfterTheRenameBeforeTheNewStart_OnRestartTheOldContainerRunsAgainUnderItsName()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("killed");
        var oldId = await stack.RunAsync(name, release.OldTag);
        await stack.WaitForContainerAsync(name);
        await stack.Agent.DisposeAsync();
        await stack.StartAgentAsync(new Dictionary<string, string> { ["HARBOR_AGENT_FAULT_KILL_AT"] = "start_new" });

        var job = await stack.StartUpdateAsync(name, new { targetDigest = release.NewDigest, verify = new { stabilityWindowSeconds = 2 } });
        using (var exited = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            await stack.Agent.WaitForExitAsync(exited.Token);
        }

        // The worst moment: the old container stopped and renamed, the new one created but not started.
        Assert.Equal("exited", await UpdateDeployment.InspectAsync(oldId, "{{.State.Status}}"));
        Assert.Equal($"/{name}-harbor-old-{job.Id}", await UpdateDeployment.InspectAsync(oldId, "{{.Name}}"));
        Assert.Equal("created", await UpdateDeployment.InspectAsync(name, "{{.State.Status}}"));

        await stack.StartAgentAsync();
        var finished = await stack.Controller.WaitForJobAsync(job.Id, TimeSpan.FromSeconds(60));

        Assert.Equal("rolled_back", finished.Outcome);
        Assert.True(finished.Recovered);
        Assert.Equal("agent_restarted", finished.ReasonCode);
        Assert.Equal(oldId, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
        Assert.Equal("running", await UpdateDeployment.InspectAsync(name, "{{.State.Status}}"));
        Assert.Equal([name], await stack.ContainerNamesAsync(name));
        Assert.Equal(release.OldImageId, await DockerCli.CheckedAsync("image", "inspect", "--format", "{{.Id}}", release.OldTag));
        Assert.Contains(finished.Steps, s => s.Step == "recover" && s.Error is null);
    }

    [Fact]
    public async Task ControllerRestartedMidJob_TheJobEndsWithTheAgentsOutcome()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("ctl-restart");
        await stack.RunAsync(name, release.OldTag);
        var job = await stack.StartUpdateAsync(name, new { targetDigest = release.NewDigest, verify = new { stabilityWindowSeconds = 6 } });
        await Eventually.GetAsync(() => stack.Controller.GetJobAsync(job.Id), j => j.CurrentStep == "verify", TimeSpan.FromSeconds(30), "the job reaches verification");

        await stack.RestartControllerAsync();
        var finished = await stack.Controller.WaitForJobAsync(job.Id, TimeSpan.FromSeconds(60));

        Assert.True(finished.Outcome == "succeeded", $"{finished.Outcome}: {finished.Reason}");
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        Assert.Equal(finished.ResultContainerId, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
        Assert.Contains(finished.Steps, s => s.Step == "verify" && s.Error is null);
        Assert.Equal([name], await stack.ContainerNamesAsync(name));
    }

    [Fact]
    public async Task SameJobIdSentTwice_WhileRunningAndAfterwards_RunsOnce()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("twice");
        await stack.RunAsync(name, release.OldTag);
        var job = await stack.StartUpdateAsync(name, new { targetDigest = release.NewDigest, verify = new { stabilityWindowSeconds = 3 } });
        var command = new UpdateCommand
        {
            JobId = job.Id,
            ContainerId = job.ContainerId,
            TargetImage = job.TargetImage,
            TargetTag = job.TargetTag ?? "",
            Verify = new VerifySettings { StabilityWindowMs = 3000 },
        };

        await SendToAgentAsync(command);
        var finished = await stack.Controller.WaitForJobAsync(job.Id, TimeSpan.FromSeconds(60));
        Assert.True(finished.Outcome == "succeeded", $"{finished.Outcome}: {finished.Reason}");
        var containerAfterJob = await UpdateDeployment.InspectAsync(name, "{{.Id}}");
        await SendToAgentAsync(command);
        await Eventually.TrueAsync(
            () => Task.FromResult(stack.Agent.Output.Contains($"job {job.Id} received again (finished: True)", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10),
            "the agent answers the replay from its journal");

        Assert.Contains($"job {job.Id} received again (finished: False)", stack.Agent.Output);
        Assert.Equal(containerAfterJob, finished.ResultContainerId);
        Assert.Equal(containerAfterJob, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
        Assert.Equal([name], await stack.ContainerNamesAsync(name));
        var again = await stack.Controller.GetJobAsync(job.Id);
        Assert.Equal((finished.Outcome, finished.FinishedAt, finished.Steps.Count), (again.Outcome, again.FinishedAt, again.Steps.Count));
    }

    private async Task SendToAgentAsync(UpdateCommand command)
    {
        var connection = stack.Controller.Services.GetRequiredService<ConnectedAgents>().Find(stack.HostId)
            ?? throw new InvalidOperationException("The agent is not connected.");
        await connection.SendAsync(new ControllerMessage { UpdateCommand = command });
    }
}
