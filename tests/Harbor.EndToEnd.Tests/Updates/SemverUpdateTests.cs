using System.Net;
using System.Net.Http.Json;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Updates;

/// <summary>
/// Semver tracking end to end: a container on 1.4.0 labelled harbor.track=semver:^1.4 is reported with
/// target tag 1.5.2 (pre-releases and the next major skipped), updated to exactly that tag's digest, and
/// then follows the new tag; a rollback puts it back on 1.4.0.
/// </summary>
public sealed class SemverUpdateTests(UpdateDeployment stack) : IClassFixture<UpdateDeployment>
{
    [Fact]
    public async Task Update_SemverTracked_MovesTheContainerFrom140To152AndItFollowsTheNewTag()
    {
        var v1 = await UpdateDeployment.BuildAsync(UpdateDeployment.AppV1);
        var v2 = await UpdateDeployment.BuildAsync(UpdateDeployment.AppV2);
        var repository = $"{TestNames.Unique("semver")}/app";
        var reference = $"{stack.Registry.Host}/{repository}";
        var digest140 = await stack.Registry.PushAsync(v1, repository, "1.4.0");
        var digest152 = await stack.Registry.PushAsync(v2, repository, "1.5.2");
        await stack.Registry.PushAsync(v1, repository, "1.6.0-rc.1");
        await stack.Registry.PushAsync(v1, repository, "2.0.0");
        foreach (var tag in new[] { "1.4.0", "1.5.2", "1.6.0-rc.1", "2.0.0" })
        {
            stack.TrackImage($"{reference}:{tag}");
        }

        stack.TrackImage($"{reference}@{digest152}");
        // Only 1.4.0 is on the host: the agent has to pull 1.5.2 by digest.
        await DockerCli.RunAsync("rmi", $"{reference}:1.5.2", $"{reference}:1.6.0-rc.1", $"{reference}:2.0.0");
        var name = TestNames.Unique("tracked");
        await stack.RunAsync(name, "-l", "harbor.track=semver:^1.4", $"{reference}:1.4.0");
        await stack.WaitForContainerAsync(name);

        var status = await CheckAsync(name);
        Assert.Equal(("update-available", "1.5.2", $"{reference}:1.5.2", digest152), (status.Status, status.TargetTag, status.Reference, status.RemoteDigest));

        var job = await stack.UpdateAsync(name, new { verify = new { stabilityWindowSeconds = 2 } });

        Assert.True(job.Outcome == "succeeded", $"{job.Outcome}: {job.Reason}");
        Assert.Equal(($"{reference}@{digest152}", $"{reference}:1.5.2", digest152, digest140), (job.TargetImage, job.TargetTag, job.ToDigest, job.FromDigest));
        Assert.Equal($"{reference}:1.5.2", await UpdateDeployment.InspectAsync(name, "{{.Config.Image}}"));
        Assert.Equal(v2, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        // 1.4.0 still names the old image: only the new tag was pointed at the new image.
        Assert.Equal(v1, await DockerCli.CheckedAsync("image", "inspect", "--format", "{{.Id}}", $"{reference}:1.4.0"));
        await stack.WaitForContainerAsync(name);
        var after = await CheckAsync(name);
        Assert.Equal(("up-to-date", "1.5.2"), (after.Status, after.TargetTag));

        using (var rollback = await stack.Controller.PostJsonAsync($"/api/v1/containers/{stack.HostId}/{name}/rollback", new { verify = new { stabilityWindowSeconds = 1 } }))
        {
            Assert.Equal(HttpStatusCode.Accepted, rollback.StatusCode);
            var started = (await rollback.Content.ReadFromJsonAsync<ApiJob>(TestContext.Current.CancellationToken))!;
            var back = await stack.Controller.WaitForJobAsync(started.Id, TimeSpan.FromSeconds(90));
            Assert.True(back.Outcome == "succeeded", $"{back.Outcome}: {back.Reason}");
        }

        Assert.Equal($"{reference}:1.4.0", await UpdateDeployment.InspectAsync(name, "{{.Config.Image}}"));
        Assert.Equal(v1, await UpdateDeployment.InspectAsync(name, "{{.Image}}"));
        Assert.Equal(v2, await DockerCli.CheckedAsync("image", "inspect", "--format", "{{.Id}}", $"{reference}:1.5.2"));
    }

    [Fact]
    public async Task Update_SemverTrackedWithADigestOfAnotherTag_IsRejectedNamingTheTag()
    {
        var v1 = await UpdateDeployment.BuildAsync(UpdateDeployment.AppV1);
        var v2 = await UpdateDeployment.BuildAsync(UpdateDeployment.AppV2);
        var repository = $"{TestNames.Unique("semver")}/app";
        var reference = $"{stack.Registry.Host}/{repository}";
        var digest140 = await stack.Registry.PushAsync(v1, repository, "1.4.0");
        await stack.Registry.PushAsync(v2, repository, "1.5.2");
        stack.TrackImage($"{reference}:1.4.0");
        stack.TrackImage($"{reference}:1.5.2");
        var name = TestNames.Unique("mismatch");
        await stack.RunAsync(name, "-l", "harbor.track=semver:^1.4", $"{reference}:1.4.0");
        await stack.WaitForContainerAsync(name);

        using var response = await stack.PostUpdateAsync(name, new { targetDigest = digest140 });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("targetDigest", text);
        Assert.Contains($"{reference}:1.5.2", text);
    }

    private async Task<ApiUpdateStatus> CheckAsync(string name)
    {
        using (var start = await stack.Controller.PostJsonAsync("/api/v1/checks", new { hostId = stack.HostId, containerId = name }))
        {
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var run = (await start.Content.ReadFromJsonAsync<ApiRun>())!;
            await Eventually.GetAsync(() => stack.Controller.GetJsonAsync<ApiRun>($"/api/v1/checks/{run.Id}"), r => r.Status is "completed" or "failed",
                TimeSpan.FromSeconds(30), "the check finishes");
        }

        var container = (await stack.Controller.GetContainersAsync($"host={stack.HostId}&name={name}")).Single(c => c.Name == name);
        return (await stack.Controller.GetJsonAsync<ApiContainerStatus>($"/api/v1/containers/{stack.HostId}/{container.Id}")).Update;
    }

    private sealed record ApiRun(string Id, string Status);

    private sealed record ApiContainerStatus(string Id, ApiUpdateStatus Update);

    private sealed record ApiUpdateStatus(string Status, string? Reference, string? RemoteDigest, string? Error, string? TargetTag);
}
