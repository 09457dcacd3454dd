using Harbor.Controller.Policy;
using Semver;

namespace Harbor.Controller.Tests.Policy;

public sealed class SemverTagSelectorTests
{
    private static readonly string[] Tags =
    [
        "latest", "1.4.0", "1.4.2", "1.5.0-rc.1", "1.9.0", "1.10.1", "2.0.0", "2.1.0-beta",
        "v1.11.0", "1.9", "1.9.0-alpine", "1.12.0-alpine", "2.0.0-alpine", "stable", "1.13.0-rc.2-alpine",
    ];

    [Theory]
    [InlineData("^1.4", "1.4.2", false, "v1.11.0")]    // highest 1.x, v-prefix accepted
    [InlineData("~1.4", "1.4.0", false, "1.4.2")]      // patch updates only
    [InlineData(">=1.4 <1.10", "1.4.2", false, "1.9.0")] // same version as "1.9": the more specific tag
    [InlineData("^2", "2.0.0", false, "2.0.0")]        // 2.1.0-beta skipped
    [InlineData("^2", "2.0.0", true, "2.1.0-beta")]    // pre-releases allowed
    [InlineData("^1.4", "1.9.0-alpine", false, "1.12.0-alpine")] // stays on the alpine variant
    [InlineData("^1.4", "1.9.0-alpine", true, "1.13.0-rc.2-alpine")] // pre-release of the same variant
    [InlineData("^3", "2.0.0", false, null)]           // nothing in range
    public void Select_PicksHighestInRange(string range, string current, bool prerelease, string? expected)
    {
        var selected = SemverTagSelector.Select(Tags, SemVersionRange.ParseNpm(range), current, prerelease);

        Assert.Equal(expected, selected);
    }

    [Fact]
    public void Select_NeverMovesBackwards()
    {
        Assert.Null(SemverTagSelector.Select(Tags, SemVersionRange.ParseNpm("~1.4"), "1.9.0", false));
    }

    [Theory]
    [InlineData("latest")]
    [InlineData("stable")]
    [InlineData("sha-abc123")]
    [InlineData("")]
    public void Parse_NonVersionTags_AreSkipped(string tag) => Assert.Null(SemverTagSelector.Parse(tag));
}
