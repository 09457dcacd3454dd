using System.Diagnostics;
using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Inventory;

/// <summary>What a user does with the docker CLI shows up through the controller's API, fast.</summary>
public sealed class LiveInventoryTests(HarborDeployment stack) : IClassFixture<HarborDeployment>
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task ContainerLifecycle_FromTheCli_IsVisibleThroughTheApiWithinTwoSeconds()
    {
        var name = TestNames.Unique("life");
        var renamed = name + "-renamed";

        await DockerCli.CheckedAsync("run", "-d", "--name", name, "-l", stack.OwnerLabel, "-l", "com.docker.compose.project=shop",
            "-l", "com.docker.compose.service=web", TestImages.Base, "sleep", "3600");
        var created = await Eventually.GetAsync(() => stack.FindContainerAsync(name), c => c?.State == "running", Within, $"{name} appears running");
        Assert.Equal("shop", created!.ComposeProject);
        Assert.Equal("web", created.ComposeService);
        Assert.Equal(TestImages.Base, created.Image);
        Assert.StartsWith("linux/", created.Platform);
        Assert.False(created.Stale);

        await DockerCli.CheckedAsync("stop", "-t", "0", name);
        await Eventually.GetAsync(() => stack.FindContainerAsync(name), c => c?.State == "exited", Within, $"{name} shows exited");

        await DockerCli.CheckedAsync("rename", name, renamed);
        var afterRename = await Eventually.GetAsync(() => stack.FindContainerAsync(renamed), c => c is not null, Within, "the new name shows");
        Assert.Equal(created.Id, afterRename!.Id);
        Assert.Null(await stack.FindContainerAsync(name));

        await DockerCli.CheckedAsync("rm", renamed);
        await Eventually.GetAsync(() => stack.FindContainerAsync(renamed), c => c is null, Within, "the removed container is gone");
    }

    [Fact]
    public async Task UserNetworkAliasAndPublishedPort_AreReported()
    {
        var name = TestNames.Unique("net");
        var network = TestNames.Unique("network");
        await DockerCli.CheckedAsync("network", "create", "--label", stack.OwnerLabel, network);
        try
        {
            await DockerCli.CheckedAsync("run", "-d", "--name", name, "-l", stack.OwnerLabel, "--network", network, "--network-alias", "api",
                "-p", "127.0.0.1::80", TestImages.Base, "httpd", "-f", "-p", "80", "-h", "/www");

            var container = await Eventually.GetAsync(() => stack.FindContainerAsync(name), c => c?.State == "running", Within, $"{name} running");

            var attachment = Assert.Single(container!.Networks);
            Assert.Equal(network, attachment.Network);
            Assert.Contains("api", attachment.Aliases);
            Assert.False(string.IsNullOrEmpty(attachment.IpAddress));
            var port = Assert.Single(container.Ports);
            Assert.Equal(80, port.ContainerPort);
            Assert.Equal("127.0.0.1", port.HostIp);
            Assert.True(port.HostPort > 0);
        }
        finally
        {
            await DockerCli.RunAsync("rm", "-f", name);
            await DockerCli.RunAsync("network", "rm", network);
        }
    }

    [Fact]
    public async Task HealthTransitions_AreReported()
    {
        var name = TestNames.Unique("health");
        await DockerCli.CheckedAsync("run", "-d", "--name", name, "-l", stack.OwnerLabel,
            "--health-cmd", "test -f /tmp/ok", "--health-interval", "1s", "--health-retries", "1",
            TestImages.Base, "sh", "-c", "sleep 2; touch /tmp/ok; sleep 3600");

        var started = Stopwatch.StartNew();
        await Eventually.GetAsync(() => stack.FindContainerAsync(name), c => c?.Health == "healthy", TimeSpan.FromSeconds(15), $"{name} turns healthy");
        Assert.True(started.Elapsed > TimeSpan.FromSeconds(1), "it cannot be healthy before the file exists");
    }
}
