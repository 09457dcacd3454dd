using System.Net;
using System.Net.Http.Json;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Detection;

/// <summary>
/// The whole detection path on real parts: images built and pushed with the Docker CLI to a real
/// registry, containers on the real engine, seen through the real agent, checked through the API.
/// </summary>
public sealed class UpdateDetectionTests(HarborDeployment stack) : IClassFixture<HarborDeployment>, IAsyncLifetime
{
    private RegistryServer registry = null!;

    public async ValueTask InitializeAsync()
    {
        await DockerEngine.RequireAsync();
        registry = await RegistryServer.StartAsync();
    }

    public async ValueTask DisposeAsync() => await registry.DisposeAsync();

    [Fact]
    public async Task CheckAll_RealContainers_UpToDateThenUpdateAvailableAfterAPush()
    {
        var unique = Guid.NewGuid().ToString("N")[..8];
        var repository = $"e2e/app-{unique}";
        var reference = $"{registry.Host}/{repository}:1";
        var v1 = await TestImages.BuildAsync($"harbor-test/detect-{unique}:v1", $"FROM {TestImages.Base}\nLABEL version=v1-{unique}\n");
        var digest1 = await registry.PushAsync(v1, repository, "1");
        var localId = await TestImages.BuildAsync($"harbor-test/detect-local-{unique}:dev", $"FROM {TestImages.Base}\nLABEL local={unique}\n");

        string? v2 = null;
        var app = TestNames.Unique("app");
        var pinned = TestNames.Unique("pinned");
        var built = TestNames.Unique("built");
        try
        {
            await Run(app, reference, stack.OwnerLabel);
            await Run(pinned, $"{registry.Host}/{repository}@{digest1}", stack.OwnerLabel);
            await Run(built, $"harbor-test/detect-local-{unique}:dev", stack.OwnerLabel);
            foreach (var name in new[] { app, pinned, built })
            {
                await Eventually.GetAsync(() => stack.FindContainerAsync(name), c => c?.State == "running", TimeSpan.FromSeconds(10), $"{name} is reported by the agent");
            }

            await CheckAllAsync();
            Assert.Equal(("up-to-date", digest1), await StatusAsync(app));
            Assert.Equal("pinned", (await StatusAsync(pinned)).Status);
            Assert.Equal("local", (await StatusAsync(built)).Status);

            v2 = await TestImages.BuildAsync($"harbor-test/detect-{unique}:v2", $"FROM {TestImages.Base}\nLABEL version=v2-{unique}\n");
            var digest2 = await registry.PushAsync(v2, repository, "1");
            Assert.NotEqual(digest1, digest2);

            await CheckAllAsync();
            Assert.Equal(("update-available", digest2), await StatusAsync(app));
            Assert.Equal("pinned", (await StatusAsync(pinned)).Status);
            var updates = await stack.Controller.GetContainersAsync($"host={stack.HostId}&updateStatus=update-available");
            Assert.Contains(updates, c => c.Name == app);
            Assert.DoesNotContain(updates, c => c.Name == pinned || c.Name == built);
        }
        finally
        {
            // Only what this test made: its containers, then its images (by id, so registry digests go too).
            await DockerCli.RunAsync("rm", "-f", app, pinned, built);
            await DockerCli.RunAsync(["rmi", "-f", v1, localId, .. v2 is null ? Array.Empty<string>() : [v2]], null, cancellationToken: CancellationToken.None);
        }
    }

    private static Task<string> Run(string name, string image, string owner) =>
        DockerCli.CheckedAsync("run", "-d", "--name", name, "-l", owner, image, "sleep", "3600");

    private async Task CheckAllAsync()
    {
        using var response = await stack.Controller.Api.PostAsJsonAsync("/api/v1/checks", new { hostId = stack.HostId }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var run = (await response.Content.ReadFromJsonAsync<CheckRun>(TestContext.Current.CancellationToken))!;
        var done = await Eventually.GetAsync(() => stack.Controller.GetJsonAsync<CheckRun>($"/api/v1/checks/{run.Id}"), r => r.Status is "completed" or "failed",
            TimeSpan.FromSeconds(30), "the check finishes");
        Assert.Equal("completed", done.Status);
    }

    private async Task<(string Status, string? RemoteDigest)> StatusAsync(string name)
    {
        var container = await stack.Controller.GetJsonAsync<ContainerStatus>($"/api/v1/containers/{stack.HostId}/{name}");
        return (container.Update.Status, container.Update.RemoteDigest);
    }

    private sealed record CheckRun(string Id, string Status);

    private sealed record Update(string Status, string? RemoteDigest, string? Error);

    private sealed record ContainerStatus(string Name, Update Update);
}
