using Harbor.Agent.Docker;

namespace Harbor.Agent.Tests.Docker;

public sealed class EngineApiVersionTests
{
    [Theory]
    // engine max, engine min, expected
    [InlineData("1.41", "1.12", "1.41")] // Docker 20.10 (Debian bookworm): speak its newest
    [InlineData("1.47", "1.24", "1.47")] // Docker 27
    [InlineData("1.52", "1.44", "1.52")] // Docker 29: minimum 1.44 is what broke Watchtower's pinned 1.25
    [InlineData("1.60", "1.44", "1.52")] // a future engine: our newest, which it still accepts
    [InlineData("1.41", null, "1.41")]    // no minimum reported
    public void Negotiate_SupportedEngine_ChoosesNewestCommonVersion(string engineMax, string? engineMin, string expected)
    {
        var result = EngineApiVersion.Negotiate(engineMax, engineMin);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(expected, EngineApiVersion.Format(result.Version));
    }

    [Fact]
    public void Negotiate_EngineOlderThanSupported_FailsNamingTheUpgrade()
    {
        var result = EngineApiVersion.Negotiate("1.40", "1.12");

        Assert.False(result.Succeeded);
        Assert.Contains("1.40", result.Error);
        Assert.Contains("Upgrade Docker", result.Error);
    }

    [Fact]
    public void Negotiate_EngineMinimumNewerThanAgent_FailsNamingTheAgentUpgrade()
    {
        var result = EngineApiVersion.Negotiate("1.70", "1.60");

        Assert.False(result.Succeeded);
        Assert.Contains("Upgrade the Harbor agent", result.Error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("banana")]
    [InlineData("1")]
    [InlineData("1.x")]
    [InlineData("1.41.2")]
    public void Negotiate_UnreadableVersion_FailsWithTheValue(string? engineMax)
    {
        var result = EngineApiVersion.Negotiate(engineMax, "1.12");

        Assert.False(result.Succeeded);
        Assert.Contains("unreadable", result.Error);
    }
}
