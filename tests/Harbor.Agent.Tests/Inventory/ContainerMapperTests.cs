using Docker.DotNet.Models;
using Harbor.Agent.Inventory;
using Harbor.Protos.Agent.V1;
using Platform = Harbor.Protos.Agent.V1.Platform;

namespace Harbor.Agent.Tests.Inventory;

public sealed class ContainerMapperTests
{
    private static ContainerInspectResponse Inspect(Action<ContainerInspectResponse>? change = null)
    {
        var inspect = new ContainerInspectResponse
        {
            ID = new string('a', 64),
            Name = "/web",
            Image = "sha256:" + new string('b', 64),
            Created = new DateTime(2026, 11, 1, 10, 0, 0, DateTimeKind.Utc),
            RestartCount = 2,
            State = new State { Status = "running", StartedAt = "2026-11-01T10:00:05.123456789Z", Health = new Health { Status = "healthy" } },
            Config = new ContainerConfig
            {
                Image = "registry.local:5000/team/web:1.4",
                Labels = new Dictionary<string, string>
                {
                    ["com.docker.compose.project"] = "shop",
                    ["com.docker.compose.service"] = "web",
                },
            },
            HostConfig = new HostConfig(),
            NetworkSettings = new NetworkSettings
            {
                Networks = new Dictionary<string, EndpointSettings>
                {
                    ["shop_default"] = new() { IPAddress = "172.20.0.5", Aliases = ["web", "aaaaaaaaaaaa"], MacAddress = "02:42:ac:14:00:05" },
                },
                Ports = new Dictionary<string, IList<PortBinding>>
                {
                    ["80/tcp"] = [new PortBinding { HostIP = "0.0.0.0", HostPort = "8080" }],
                    ["9000/udp"] = null!,
                },
            },
        };
        change?.Invoke(inspect);
        return inspect;
    }

    [Fact]
    public void Map_RunningComposeContainer_CarriesWhatLaterWorkNeeds()
    {
        var image = new ImageInfo(["registry.local:5000/team/web@sha256:" + new string('c', 64)], new Platform { Os = "linux", Architecture = "arm64", Variant = "v8" });

        var container = ContainerMapper.Map(Inspect(), image);

        Assert.Equal("web", container.Name);
        Assert.Equal("registry.local:5000/team/web:1.4", container.Image);
        Assert.Equal(ContainerState.Running, container.State);
        Assert.Equal(HealthStatus.Healthy, container.Health);
        Assert.Equal(new DateTimeOffset(2026, 11, 1, 10, 0, 5, 123, TimeSpan.Zero).AddTicks(4568), container.StartedAt.ToDateTimeOffset());
        Assert.Equal("shop", container.ComposeProject);
        Assert.Equal("web", container.ComposeService);
        Assert.Equal(2, container.RestartCount);
        Assert.Single(container.RepoDigests);
        Assert.Equal("arm64", container.Platform.Architecture);
        var network = Assert.Single(container.Networks);
        Assert.Equal(["web", "aaaaaaaaaaaa"], network.Aliases);
        Assert.Equal(2, container.Ports.Count);
        Assert.Contains(container.Ports, p => p.ContainerPort == 80 && p.HostPort == 8080 && p.Protocol == "tcp");
        Assert.Contains(container.Ports, p => p.ContainerPort == 9000 && p.HostPort == 0 && p.Protocol == "udp");
    }

    [Fact]
    public void Map_NeverStartedContainer_HasNoStartTime()
    {
        var container = ContainerMapper.Map(Inspect(i => i.State = new State { Status = "created", StartedAt = "0001-01-01T00:00:00Z" }), null);

        Assert.Null(container.StartedAt);
        Assert.Equal(ContainerState.Created, container.State);
        Assert.Equal(HealthStatus.None, container.Health);
    }

    [Fact]
    public void Map_StoppedContainer_ReportsConfiguredPortBindings()
    {
        var container = ContainerMapper.Map(Inspect(i =>
        {
            i.State = new State { Status = "exited", ExitCode = 137 };
            i.NetworkSettings!.Ports = new Dictionary<string, IList<PortBinding>>();
            i.HostConfig!.PortBindings = new Dictionary<string, IList<PortBinding>>
            {
                ["443/tcp"] = [new PortBinding { HostIP = "", HostPort = "8443" }],
            };
        }), null);

        var port = Assert.Single(container.Ports);
        Assert.Equal(8443u, port.HostPort);
        Assert.Equal(137, container.ExitCode);
    }

    [Fact]
    public void Map_LocallyBuiltImage_HasNoRepoDigests()
    {
        var container = ContainerMapper.Map(Inspect(), new ImageInfo([], new Platform { Os = "linux", Architecture = "amd64" }));

        Assert.Empty(container.RepoDigests);
    }

    [Theory]
    [InlineData("paused", ContainerState.Paused)]
    [InlineData("restarting", ContainerState.Restarting)]
    [InlineData("removing", ContainerState.Removing)]
    [InlineData("dead", ContainerState.Dead)]
    [InlineData("something-new", ContainerState.Unspecified)]
    public void MapState_EveryEngineState(string status, ContainerState expected) =>
        Assert.Equal(expected, ContainerMapper.MapState(status));
}
