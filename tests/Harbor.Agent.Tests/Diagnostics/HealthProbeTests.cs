using Harbor.Agent.Extensions;
using Microsoft.Extensions.Hosting;

namespace Harbor.Agent.Tests.Diagnostics;

/// <summary>
/// Where the image's HEALTHCHECK (Harbor.Agent health) asks: wherever the agent listens, or the container
/// would turn unhealthy when a user moves the port.
/// </summary>
public sealed class HealthProbeTests
{
    [Theory]
    [InlineData(null, null, "http://127.0.0.1:8482/health")]
    [InlineData("", "", "http://127.0.0.1:8482/health")]
    [InlineData("http://127.0.0.1:9000", null, "http://127.0.0.1:9000/health")]
    [InlineData("http://0.0.0.0:9000;http://10.0.0.5:9001", null, "http://127.0.0.1:9000/health")]
    [InlineData("http://*:9000", null, "http://127.0.0.1:9000/health")]
    [InlineData("http://+:9000", null, "http://127.0.0.1:9000/health")]
    [InlineData("http://[::]:9000", null, "http://[::1]:9000/health")]
    [InlineData("http://localhost:9000/", null, "http://localhost:9000/health")]
    [InlineData(null, "8080", "http://127.0.0.1:8080/health")]
    [InlineData("http://127.0.0.1:9000", "8080", "http://127.0.0.1:9000/health")]
    public void Target_ListenSettings_ProbesWhereTheAgentListens(string? urls, string? httpPorts, string expected) =>
        Assert.Equal(new Uri(expected), HealthProbe.Target(urls, httpPorts, AgentExtensions.DefaultUrl));

    [Fact]
    public void Target_PortChosenAtStart_CannotBeProbed() =>
        Assert.Null(HealthProbe.Target("http://127.0.0.1:0", null, AgentExtensions.DefaultUrl));

    [Fact]
    public void IsRequested_OnlyTheBareHealthArgument()
    {
        Assert.True(HealthProbe.IsRequested(["health"]));
        Assert.False(HealthProbe.IsRequested([]));
        Assert.False(HealthProbe.IsRequested(["--urls=http://127.0.0.1:1", "health"]));
    }
}
