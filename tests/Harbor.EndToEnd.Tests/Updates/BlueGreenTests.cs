using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Updates;

/// <summary>
/// Blue-green updates on the real engine (feature flag on): a client container polls the shared network
/// alias the whole time and must never go unanswered — not during a successful switch, not while a broken
/// release is tried and thrown away. Containers blue-green cannot apply to are refused, untouched.
/// </summary>
public sealed class BlueGreenTests(UpdateDeployment stack) : IClassFixture<UpdateDeployment>
{
    private static readonly object QuickVerify = new { stabilityWindowSeconds = 2 };

    [Fact]
    public async Task Update_BlueGreen_ClientOnTheAliasIsAnsweredThroughout_NewContainerTakesTheName()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var network = await stack.CreateNetworkAsync();
        var name = TestNames.Unique("bg");
        var oldId = await stack.RunAsync(name, "--network", network, "--network-alias", "web", "-l", "harbor.strategy=blue-green", release.OldTag);
        var client = await StartClientAsync(network, "web");
        Assert.DoesNotContain("FAIL", await WaitForAnswersAsync(client, "ok v1", 3));

        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest, verify = QuickVerify });

        Assert.True(job.Outcome == "succeeded", $"{job.Outcome}: {job.Reason}");
        Assert.Equal(
            ["check", "pull", "plan", "tag", "create_new", "start_new", "verify", "switch", "stop_old", "rename_old", "rename_new", "remove_old", "prune_images"],
            job.Steps.Select(s => s.Step));
        var log = await WaitForAnswersAsync(client, "ok v2", 5);
        Assert.DoesNotContain("FAIL", log);
        Assert.True(CountOf(log, "ok v1") >= 3, log);

        var newId = await UpdateDeployment.InspectAsync(name, "{{.Id}}");
        Assert.NotEqual(oldId, newId);
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        Assert.Contains("web", await UpdateDeployment.InspectAsync(name, $"{{{{json (index .NetworkSettings.Networks \"{network}\").Aliases}}}}"));
        Assert.Equal([name], await stack.ContainerNamesAsync(name)); // no -harbor-new-/-harbor-old- leftovers
        Assert.NotEqual(0, (await DockerCli.RunAsync("inspect", oldId)).ExitCode);
    }

    [Fact]
    public async Task Update_BlueGreenNewReleaseFailsVerification_OldContainerKeepsServingUntouched()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.Exits);
        var network = await stack.CreateNetworkAsync();
        var name = TestNames.Unique("bg-broken");
        var oldId = await stack.RunAsync(name, "--network", network, "--network-alias", "web", release.OldTag);
        var startedAt = await UpdateDeployment.InspectAsync(name, "{{.State.StartedAt}}");
        var client = await StartClientAsync(network, "web");
        Assert.DoesNotContain("FAIL", await WaitForAnswersAsync(client, "ok v1", 3));

        // Asked for by the request this time (the container has no strategy label).
        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest, strategy = "blue-green", verify = new { stabilityWindowSeconds = 4 } });

        Assert.True(job.Outcome == "rolled_back", $"{job.Outcome}: {job.Reason}");
        Assert.Equal("exited", job.ReasonCode);
        Assert.Null(job.StepNamed("stop_old"));
        Assert.Equal(oldId, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
        Assert.Equal(startedAt, await UpdateDeployment.InspectAsync(name, "{{.State.StartedAt}}")); // never stopped
        Assert.Equal(release.OldImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        Assert.Equal([name], await stack.ContainerNamesAsync(name));
        var log = await WaitForAnswersAsync(client, "ok v1", CountOf(await LogsAsync(client), "ok v1") + 3);
        Assert.DoesNotContain("FAIL", log);
    }

    [Fact]
    public async Task Update_BlueGreenWithPublishedPortOrStaticAddress_IsRefusedAndNothingIsTouched()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var (subnetNetwork, prefix) = await stack.CreateNetworkWithSubnetAsync();
        var published = TestNames.Unique("bg-port");
        var staticIp = TestNames.Unique("bg-ip");
        await stack.RunAsync(published, "-p", $"127.0.0.1:{RegistryServer.FreePort()}:80", release.OldTag);
        await stack.RunAsync(staticIp, "--network", subnetNetwork, "--ip", prefix + ".20", release.OldTag);

        foreach (var (name, reason) in new[] { (published, "publishes host ports"), (staticIp, "static address") })
        {
            var id = await UpdateDeployment.InspectAsync(name, "{{.Id}}");
            var startedAt = await UpdateDeployment.InspectAsync(name, "{{.State.StartedAt}}");

            var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest, strategy = "blue-green", verify = QuickVerify });

            Assert.True(job.Outcome == "refused", $"{name}: {job.Outcome}: {job.Reason}");
            Assert.Equal("blue_green_not_applicable", job.ReasonCode);
            Assert.Contains(reason, job.Reason);
            Assert.Contains("recreate strategy", job.Reason);
            Assert.Equal(["check"], job.Steps.Select(s => s.Step));
            Assert.Equal((id, startedAt, release.OldImageId), (
                await UpdateDeployment.InspectAsync(name, "{{.Id}}"),
                await UpdateDeployment.InspectAsync(name, "{{.State.StartedAt}}"),
                await UpdateDeployment.InspectAsync(name, "{{.Image}}")));
        }
    }

    /// <summary>
    /// A client that, once the service first answers, asks http://alias/version every 100 ms and logs
    /// "ok &lt;version&gt;" or "FAIL". Like HTTP clients do for idempotent requests, it retries a failed
    /// connection once at once (2 s timeout each): a request in flight to the old container at the very
    /// instant it leaves the network is cut, which no DNS-based switch can avoid (docs/updates.md).
    /// </summary>
    private async Task<string> StartClientAsync(string network, string alias)
    {
        var name = TestNames.Unique("bg-client");
        // busybox nc, not wget: busybox-static's wget crashes with a timeout option.
        var script = $$"""
            get() { printf 'GET /version HTTP/1.0\r\n\r\n' | nc -w 2 {{alias}} 80 | tail -n 1; }
            until [ -n "$(get)" ]; do sleep 0.1; done
            while true; do
              v=$(get); [ -n "$v" ] || v=$(get)
              if [ -n "$v" ]; then echo "ok $v"; else echo FAIL; fi
              sleep 0.1
            done
            """;
        await stack.RunAsync(name, "--network", network, TestImages.Base, "sh", "-c", script);
        return name;
    }

    private static async Task<string> LogsAsync(string container) => (await DockerCli.RunAsync("logs", container)).Output;

    private static async Task<string> WaitForAnswersAsync(string client, string answer, int count) =>
        (await Eventually.GetAsync(() => LogsAsync(client), log => CountOf(log, answer) >= count || log.Contains("FAIL", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30), $"{client} logs {count} × '{answer}'"))!;

    private static int CountOf(string log, string line) => log.Split('\n').Count(l => l.Trim() == line);
}
