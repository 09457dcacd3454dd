using System.Net;
using System.Net.Http.Json;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Updates;

/// <summary>
/// Updates on the real engine, through the real API, controller, agent and registry: the new digest
/// runs with every setting the user gave; a broken release is rolled back with nothing lost.
/// </summary>
public sealed class UpdateTests(UpdateDeployment stack) : IClassFixture<UpdateDeployment>
{
    private static readonly object QuickVerify = new { stabilityWindowSeconds = 2 };

    [Fact]
    public async Task Update_WithoutDigest_PinsWhatTheTagPointsAtInTheRegistryNow()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("moved-tag");
        await stack.RunAsync(name, release.OldTag);
        // The publisher moves tag 1 to the new release; locally the tag still names the old image.
        var repository = release.Repository[(stack.Registry.Host.Length + 1)..];
        Assert.Equal(release.NewDigest, await stack.Registry.PushAsync(release.NewImageId, repository, "1"));
        await DockerCli.CheckedAsync("tag", release.OldImageId, release.OldTag);

        var job = await stack.UpdateAsync(name, new { verify = QuickVerify });

        Assert.True(job.Outcome == "succeeded", $"{job.Outcome}: {job.Reason}");
        Assert.Equal(release.NewDigest, job.ToDigest);
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
    }

    [Fact]
    public async Task Update_NewDigest_RunsUnderTheSameName_OldContainerGone_PreviousImageKept()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("happy");
        var oldId = await stack.RunAsync(name, release.OldTag);

        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest, verify = QuickVerify });

        Assert.True(job.Outcome == "succeeded", $"{job.Outcome}: {job.Reason}");
        Assert.Equal(release.NewDigest, job.ToDigest);
        Assert.Equal(release.OldDigest, job.FromDigest);
        var newId = await UpdateDeployment.InspectAsync(name, "{{.Id}}");
        Assert.NotEqual(oldId, newId);
        Assert.Equal(newId, job.ResultContainerId);
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        Assert.Equal("running", await UpdateDeployment.InspectAsync(name, "{{.State.Status}}"));
        // docker ps still reads the tag the container was created from, and the tag now names the new image.
        Assert.Equal(release.OldTag, await UpdateDeployment.InspectAsync(name, "{{.Config.Image}}"));
        Assert.Equal(release.NewImageId, (await DockerCli.CheckedAsync("image", "inspect", "--format", "{{.Id}}", release.OldTag)));
        Assert.Equal([name], await stack.ContainerNamesAsync(name));
        Assert.NotEqual(0, (await DockerCli.RunAsync("inspect", oldId)).ExitCode); // the old container is gone
        // The previous image stays for a manual rollback.
        Assert.Equal(0, (await DockerCli.RunAsync("image", "inspect", release.OldImageId)).ExitCode);
        Assert.Equal(
            ["check", "pull", "plan", "tag", "stop_old", "rename_old", "create_new", "start_new", "verify", "remove_old", "prune_images"],
            job.Steps.Select(s => s.Step));
        Assert.All(job.Steps, s => Assert.Null(s.Error));
    }

    [Fact]
    public async Task Update_KeepsEverySettingTheUserGave_AndTakesTheNewImagesDefaults()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("settings");
        var (network, subnetPrefix) = await stack.CreateNetworkWithSubnetAsync();
        var staticIp = subnetPrefix + ".10";
        var volume = await stack.CreateVolumeAsync();
        var bindDirectory = stack.Combine("bind-" + name);
        Directory.CreateDirectory(bindDirectory);
        await File.WriteAllTextAsync(Path.Combine(bindDirectory, "bind.txt"), "from-the-host", TestContext.Current.CancellationToken);
        var hostPort = RegistryServer.FreePort();
        await stack.RunAsync(name,
            "-l", "user.label=kept", "-l", "app.vendor=custom-vendor",
            "-e", "USER_SET=from-user", "-e", "MODE=staging",
            "--network", network, "--network-alias", "api", "--ip", staticIp,
            "-p", $"127.0.0.1:{hostPort}:80",
            "-v", $"{bindDirectory}:/bind", "-v", $"{volume}:/data",
            "--restart", "on-failure:3", "--memory", "64m", "--cpus", "0.5", "--pids-limit", "64",
            release.OldTag, "sh", "-c", "echo hello-from-user > /www/cmd.txt; exec httpd -f -p 80 -h /www");
        await DockerCli.CheckedAsync("exec", name, "sh", "-c", "echo precious > /data/file");
        // A second network: Engine API 1.41 takes one network at create, so this one is connected before the start.
        var backend = await stack.CreateNetworkAsync();
        await DockerCli.CheckedAsync("network", "connect", "--alias", "api-internal", backend, name);

        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest, verify = QuickVerify });

        Assert.True(job.Outcome == "succeeded", $"{job.Outcome}: {job.Reason}");
        var env = (await UpdateDeployment.InspectAsync(name, "{{range .Config.Env}}{{println .}}{{end}}")).Split('\n');
        Assert.Contains("USER_SET=from-user", env);           // set by the user: kept
        Assert.Contains("MODE=staging", env);                 // the user's override of an image default: kept
        Assert.Contains("GREETING=v2-default", env);          // an image default: the new image's
        Assert.DoesNotContain("GREETING=v1-default", env);
        Assert.Equal("kept", await UpdateDeployment.InspectAsync(name, "{{index .Config.Labels \"user.label\"}}"));
        Assert.Equal("custom-vendor", await UpdateDeployment.InspectAsync(name, "{{index .Config.Labels \"app.vendor\"}}"));
        Assert.Equal("2", await UpdateDeployment.InspectAsync(name, "{{index .Config.Labels \"app.version\"}}"));
        Assert.Equal("[sh -c echo hello-from-user > /www/cmd.txt; exec httpd -f -p 80 -h /www]", await UpdateDeployment.InspectAsync(name, "{{.Config.Cmd}}"));
        Assert.Equal("from-the-host", await DockerCli.CheckedAsync("exec", name, "cat", "/bind/bind.txt"));
        Assert.Equal("precious", await DockerCli.CheckedAsync("exec", name, "cat", "/data/file"));
        Assert.Equal(staticIp, await UpdateDeployment.InspectAsync(name, $"{{{{(index .NetworkSettings.Networks \"{network}\").IPAddress}}}}"));
        Assert.Equal("on-failure 3", await UpdateDeployment.InspectAsync(name, "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}"));
        Assert.Equal("67108864 500000000 64", await UpdateDeployment.InspectAsync(name, "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}} {{.HostConfig.PidsLimit}}"));
        Assert.Equal("true", await UpdateDeployment.InspectAsync(name, "{{.HostConfig.Init}}"));

        using var http = new HttpClient();
        Assert.Equal("v2", (await http.GetStringAsync($"http://127.0.0.1:{hostPort}/version", TestContext.Current.CancellationToken)).Trim());
        Assert.Equal("hello-from-user", (await http.GetStringAsync($"http://127.0.0.1:{hostPort}/cmd.txt", TestContext.Current.CancellationToken)).Trim());

        // The user's network alias still resolves (to the static address) from another container on the network.
        var fromNeighbour = await DockerCli.CheckedAsync("run", "--rm", "-l", stack.OwnerLabel, "--network", network, TestImages.Base,
            "sh", "-c", "nslookup api >/dev/null && wget -qO- http://api/version");
        Assert.Equal("v2", fromNeighbour.Trim());
        var resolved = await DockerCli.CheckedAsync("run", "--rm", "-l", stack.OwnerLabel, "--network", network, TestImages.Base, "nslookup", "api");
        Assert.Contains(staticIp, resolved);
        var onBackend = await DockerCli.CheckedAsync("run", "--rm", "-l", stack.OwnerLabel, "--network", backend, TestImages.Base,
            "wget", "-qO-", "http://api-internal/version");
        Assert.Equal("v2", onBackend.Trim());
    }

    [Fact]
    public async Task Update_ComposeManagedContainer_KeepsProjectAndService_AndGetsTheNewComposeImage()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("compose");
        var project = TestNames.Unique("shop");
        // The labels Docker Compose v2 puts on the containers it creates.
        await stack.RunAsync(name,
            "-l", $"com.docker.compose.project={project}", "-l", "com.docker.compose.service=web",
            "-l", "com.docker.compose.container-number=1", "-l", "com.docker.compose.config-hash=0123abcd",
            "-l", "com.docker.compose.oneoff=False", "-l", $"com.docker.compose.image={release.OldImageId}",
            release.OldTag);

        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest, verify = QuickVerify });

        Assert.True(job.Outcome == "succeeded", $"{job.Outcome}: {job.Reason}");
        string Label(string key) => $"{{{{index .Config.Labels \"{key}\"}}}}";
        Assert.Equal(project, await UpdateDeployment.InspectAsync(name, Label("com.docker.compose.project")));
        Assert.Equal("web", await UpdateDeployment.InspectAsync(name, Label("com.docker.compose.service")));
        Assert.Equal("0123abcd", await UpdateDeployment.InspectAsync(name, Label("com.docker.compose.config-hash")));
        Assert.Equal("1", await UpdateDeployment.InspectAsync(name, Label("com.docker.compose.container-number")));
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, Label("com.docker.compose.image")));
        var inventory = await stack.WaitForContainerAsync(name);
        Assert.Equal((project, "web"), (inventory!.ComposeProject, inventory.ComposeService));
    }

    [Fact]
    public async Task Update_NewImageExits_RollsBack_OldContainerRunsAgainWithItsData_AndTheDigestIsBlocked()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.Exits);
        var name = TestNames.Unique("exits");
        var volume = await stack.CreateVolumeAsync();
        var oldId = await stack.RunAsync(name, "-v", $"{volume}:/data", release.OldTag);
        await DockerCli.CheckedAsync("exec", name, "sh", "-c", "echo precious > /data/file");

        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest, verify = new { stabilityWindowSeconds = 5 } });

        Assert.Equal("rolled_back", job.Outcome);
        Assert.Equal("exited", job.RollbackReason);
        Assert.Contains("exited with code 3", job.Reason);
        Assert.Equal(oldId, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
        Assert.Equal("running", await UpdateDeployment.InspectAsync(name, "{{.State.Status}}"));
        Assert.Equal(release.OldImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        Assert.Equal("precious", await DockerCli.CheckedAsync("exec", name, "cat", "/data/file"));
        Assert.Equal([name], await stack.ContainerNamesAsync(name));
        // The tag points at the image that works again, so a `docker compose up` would not bring the broken one back.
        Assert.Equal(release.OldImageId, await DockerCli.CheckedAsync("image", "inspect", "--format", "{{.Id}}", release.OldTag));
        Assert.Contains(job.Steps, s => s.Step == "rollback" && s.Error is null);

        // The failed digest is blocked for this container until a user clears it.
        using (var again = await stack.PostUpdateAsync(name, new { targetDigest = release.NewDigest }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
            Assert.Contains("blocked", await again.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        var blocked = await stack.Controller.GetJsonAsync<List<ApiBlockedDigest>>($"/api/v1/containers/{stack.HostId}/{name}/blocked-digests");
        Assert.Equal((release.NewDigest, job.Id, "exited"), (Assert.Single(blocked).Digest, blocked[0].JobId, blocked[0].Reason));
        using (var clear = await stack.Controller.Api.DeleteAsync(
            $"/api/v1/containers/{stack.HostId}/{name}/blocked-digests/{release.NewDigest}", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.NoContent, clear.StatusCode);
        }

        var retried = await stack.StartUpdateAsync(name, new { targetDigest = release.NewDigest, verify = QuickVerify });
        Assert.Equal("rolled_back", (await stack.Controller.WaitForJobAsync(retried.Id, TimeSpan.FromSeconds(60))).Outcome);
    }

    [Fact]
    public async Task Update_NewImageUnhealthy_RollsBack()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.Unhealthy);
        var name = TestNames.Unique("unhealthy");
        var oldId = await stack.RunAsync(name, release.OldTag);

        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest });

        Assert.Equal("rolled_back", job.Outcome);
        Assert.Equal("unhealthy", job.RollbackReason);
        Assert.Equal(oldId, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
        Assert.Equal("running", await UpdateDeployment.InspectAsync(name, "{{.State.Status}}"));
        Assert.Equal([name], await stack.ContainerNamesAsync(name));
    }

    [Fact]
    public async Task Update_DigestMissingFromTheRegistry_FailsAndTouchesNothing()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("missing");
        var oldId = await stack.RunAsync(name, release.OldTag);
        var startedAt = await UpdateDeployment.InspectAsync(name, "{{.State.StartedAt}}");
        var missing = "sha256:" + new string('0', 63) + "1";

        var job = await stack.UpdateAsync(name, new { targetDigest = missing, verify = QuickVerify });

        Assert.Equal("failed", job.Outcome);
        Assert.Equal("pull_failed", job.ReasonCode);
        Assert.Contains("Nothing was changed", job.Reason);
        Assert.Equal(oldId, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
        Assert.Equal(startedAt, await UpdateDeployment.InspectAsync(name, "{{.State.StartedAt}}"));
        Assert.Equal(release.OldImageId, await DockerCli.CheckedAsync("image", "inspect", "--format", "{{.Id}}", release.OldTag));
        Assert.DoesNotContain(job.Steps, s => s.Step is "stop_old" or "rename_old" or "tag");
    }

    [Fact]
    public async Task Rollback_AfterAnUpdate_RunsThePreviousImageAgainWithTheSameSettings()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("rollback");
        await stack.RunAsync(name, "-e", "USER_SET=kept", release.OldTag);
        var update = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest, verify = QuickVerify });
        Assert.Equal("succeeded", update.Outcome);
        await Eventually.GetAsync(() => stack.WaitForContainerAsync(name), c => c!.Id == update.ResultContainerId, TimeSpan.FromSeconds(10), "the inventory shows the new container");

        using var response = await stack.Controller.PostJsonAsync($"/api/v1/containers/{stack.HostId}/{name}/rollback", new { verify = QuickVerify });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var started = (await response.Content.ReadFromJsonAsync<ApiJob>(TestContext.Current.CancellationToken))!;
        var rollback = await stack.Controller.WaitForJobAsync(started.Id, TimeSpan.FromSeconds(60));

        Assert.True(rollback.Outcome == "succeeded", $"{rollback.Outcome}: {rollback.Reason}");
        Assert.Equal("rollback", rollback.Kind);
        Assert.Equal(release.OldImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        Assert.Contains("USER_SET=kept", await UpdateDeployment.InspectAsync(name, "{{.Config.Env}}"));
        var history = await stack.Controller.GetJsonAsync<ApiPage<ApiJob>>($"/api/v1/containers/{stack.HostId}/{name}/history");
        Assert.Equal(["rollback", "update"], history.Items.Select(j => j.Kind));
    }

    [Fact]
    public async Task Update_FromARegistryThatNeedsCredentials_PullsWithTheHostsDockerLogin()
    {
        // StartAsync with credentials runs `docker login`, which stores them in the host's Docker config the agent reads.
        await using var registry = await RegistryServer.StartAsync("harbor", "s3cret-" + Guid.NewGuid().ToString("N")[..8]);
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2, registry);
        var name = TestNames.Unique("private");
        await stack.RunAsync(name, release.OldTag);

        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest, verify = QuickVerify });

        Assert.True(job.Outcome == "succeeded", $"{job.Outcome}: {job.Reason}");
        Assert.Contains("with credentials", job.StepNamed("pull")?.Message);
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
    }

    [Fact]
    public async Task Update_StoppedContainer_IsReplacedButNotStarted()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("stopped");
        await stack.RunAsync(name, release.OldTag);
        await DockerCli.CheckedAsync("stop", name);
        await Eventually.GetAsync(
            async () => (await stack.Controller.GetContainersAsync($"host={stack.HostId}&name={name}")).FirstOrDefault(),
            c => c?.State == "exited", TimeSpan.FromSeconds(10), "the inventory shows it stopped");

        using var response = await stack.PostUpdateAsync(name, new { targetDigest = release.NewDigest });
        var started = (await response.Content.ReadFromJsonAsync<ApiJob>(TestContext.Current.CancellationToken))!;
        var job = await stack.Controller.WaitForJobAsync(started.Id, TimeSpan.FromSeconds(60));

        Assert.True(job.Outcome == "succeeded", $"{job.Outcome}: {job.Reason}");
        Assert.Contains("not started", job.Reason);
        Assert.Equal("created", await UpdateDeployment.InspectAsync(name, "{{.State.Status}}"));
        Assert.Equal(release.NewImageId, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        Assert.DoesNotContain(job.Steps, s => s.Step is "start_new" or "verify");
    }

    [Fact]
    public async Task UpdateTwice_KeepsThePreviousImage_AndRemovesTheOlderOneHarborReplaced()
    {
        // Images of their own (no shared test tag), so that only the repository's tags name them.
        var unique = Guid.NewGuid().ToString("N");
        var repository = $"{TestNames.Unique("prune")}/app";
        var reference = $"{stack.Registry.Host}/{repository}";
        var ids = new List<string>();
        var digests = new List<string>();
        for (var version = 1; version <= 3; version++)
        {
            var local = $"harbor-test/update-prune:{unique}-{version}";
            ids.Add(await TestImages.BuildAsync(local, $"FROM harbor-test/busybox:base\nENV RELEASE={unique}-{version}\nCMD [\"sleep\", \"3600\"]\n"));
            digests.Add(await stack.Registry.PushAsync(local, repository, version.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            stack.TrackImage($"{reference}@{digests[^1]}");
            stack.TrackImage($"{reference}:{version}");
            await DockerCli.CheckedAsync("rmi", local);
            if (version > 1)
            {
                await DockerCli.CheckedAsync("rmi", $"{reference}:{version}");
            }
        }

        var name = TestNames.Unique("prune");
        await stack.RunAsync(name, $"{reference}:1");

        Assert.Equal("succeeded", (await stack.UpdateAsync(name, new { targetDigest = digests[1], verify = QuickVerify })).Outcome);
        Assert.Equal(0, (await DockerCli.RunAsync("image", "inspect", ids[0])).ExitCode);
        var second = await stack.UpdateAsync(name, new { targetDigest = digests[2], verify = QuickVerify });

        Assert.Equal("succeeded", second.Outcome);
        Assert.Equal(ids[2], await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        Assert.Equal(0, (await DockerCli.RunAsync("image", "inspect", ids[1])).ExitCode);     // kept for a manual rollback
        Assert.NotEqual(0, (await DockerCli.RunAsync("image", "inspect", ids[0])).ExitCode);  // replaced twice, unused, untagged: removed
        Assert.Contains("removed 1", second.StepNamed("prune_images")?.Message);
    }

    [Fact]
    public async Task Update_HarborsOwnControllerContainer_IsRefusedAndNothingIsTouched()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("refuse-role");
        var oldId = await stack.RunAsync(name, "-l", "harbor.role=controller", release.OldTag);

        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest });

        Assert.Equal("refused", job.Outcome);
        Assert.Contains("controller's container", job.Reason);
        Assert.Equal(oldId, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
    }

    [Fact]
    public async Task Update_ContainerWhoseNetworkNamespaceOthersShare_IsRefusedNamingThem()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("refuse-ns");
        var oldId = await stack.RunAsync(name, release.OldTag);
        await stack.RunAsync(name + "-sidecar", "--network", "container:" + name, TestImages.Base, "sleep", "3600");

        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest });

        Assert.Equal("refused", job.Outcome);
        Assert.Contains($"{name}-sidecar (--network container:{name})", job.Reason);
        Assert.Equal(oldId, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
        Assert.Equal("running", await UpdateDeployment.InspectAsync(name + "-sidecar", "{{.State.Status}}"));
    }

    [Fact]
    public async Task Update_ContainerStartedWithRm_IsRefused()
    {
        var release = await stack.PublishAsync(UpdateDeployment.AppV1, UpdateDeployment.AppV2);
        var name = TestNames.Unique("refuse-rm");
        var oldId = await stack.RunAsync(name, "--rm", release.OldTag);

        var job = await stack.UpdateAsync(name, new { targetDigest = release.NewDigest });

        Assert.Equal("refused", job.Outcome);
        Assert.Contains("--rm", job.Reason);
        Assert.Equal(oldId, await UpdateDeployment.InspectAsync(name, "{{.Id}}"));
    }
}
