using Harbor.Protos.Agent.V1;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Checks;

/// <summary>
/// Semver tracking through a real check run: real registry, real tags (pre-releases, variants, more
/// tags than one page of 3 — paged in front of the registry as distribution 3 does), policy from
/// container labels, results through the containers API.
/// </summary>
[Collection(nameof(OwnControllerTests))]
public sealed class SemverTrackingTests(DetectionFixture stack) : IClassFixture<DetectionFixture>
{
    private static readonly string[] Tags =
        ["1.3.9", "1.4.0", "1.4.2", "1.5.0-rc.1", "v1.5.1", "1.5.2", "1.6.0-beta.2", "1.5.2-alpine", "2.0.0", "latest"];

    [Fact]
    public async Task Check_SemverRange_PicksTheHighestTagInRange_ReportsItsTagAndDigest()
    {
        var host = "host-" + Guid.NewGuid().ToString("N")[..8];
        await using var paging = await PagingRegistryProxy.StartAsync(stack.Registry);
        var r = paging.Host;
        var repository = $"{host}/app";
        var digests = new Dictionary<string, string>();
        foreach (var tag in Tags)
        {
            digests[tag] = (await stack.Registry.Uploader.PushImageAsync(repository, tag, $"{host}-{tag}")).Digest;
        }

        Container Tracked(string name, string tag, string track, bool prerelease = false)
        {
            var labels = new Dictionary<string, string> { ["harbor.track"] = track };
            if (prerelease)
            {
                labels["harbor.track.prerelease"] = "true";
            }

            return DetectionFixture.Container(name, $"{r}/{repository}:{tag}", labels, repoDigests: $"{r}/{repository}@{digests[tag]}");
        }

        await stack.ReportAsync(host,
            Tracked("caret", "1.4.0", "semver:^1.4"),
            Tracked("tilde", "1.4.0", "semver:~1.4"),
            Tracked("pre", "1.4.0", "semver:^1.4", prerelease: true),
            Tracked("current", "1.5.2", "semver:^1.4"),
            Tracked("alpine", "1.5.2-alpine", "semver:^1.4"),
            Tracked("major", "1.5.2", "semver:>=2"),
            DetectionFixture.Container("plain", $"{r}/{repository}:1.4.0", repoDigests: $"{r}/{repository}@{digests["1.4.0"]}"));

        var run = await stack.CheckAsync(new { hostId = host });

        Assert.Equal("completed", run.Status);
        var caret = (await stack.ContainerAsync(host, "caret")).Update;
        Assert.Equal(("update-available", "1.5.2", $"{r}/{repository}:1.5.2", digests["1.5.2"]), (caret.Status, caret.TargetTag, caret.Reference, caret.RemoteDigest));
        var tilde = (await stack.ContainerAsync(host, "tilde")).Update;
        Assert.Equal(("update-available", "1.4.2", digests["1.4.2"]), (tilde.Status, tilde.TargetTag, tilde.RemoteDigest));
        var pre = (await stack.ContainerAsync(host, "pre")).Update;
        Assert.Equal(("update-available", "1.6.0-beta.2", digests["1.6.0-beta.2"]), (pre.Status, pre.TargetTag, pre.RemoteDigest));
        var current = (await stack.ContainerAsync(host, "current")).Update;
        Assert.Equal(("up-to-date", "1.5.2"), (current.Status, current.TargetTag));
        // A variant stays a variant: no other -alpine tag is newer.
        var alpine = (await stack.ContainerAsync(host, "alpine")).Update;
        Assert.Equal(("up-to-date", "1.5.2-alpine"), (alpine.Status, alpine.TargetTag));
        var major = (await stack.ContainerAsync(host, "major")).Update;
        Assert.Equal(("update-available", "2.0.0", digests["2.0.0"]), (major.Status, major.TargetTag, major.RemoteDigest));
        // Without tracking a container follows its own tag, which has not moved.
        var plain = (await stack.ContainerAsync(host, "plain")).Update;
        Assert.Equal(("up-to-date", null), (plain.Status, plain.TargetTag));

        // One tag listing for the repository, however many containers track it: 10 tags at 3 per page = 4 GETs,
        // plus one HEAD per distinct selected tag (1.5.2, 1.4.2, 1.6.0-beta.2, 1.5.2-alpine, 2.0.0, and 1.4.0 for "plain").
        Assert.Equal(4, paging.TagPages);
        Assert.Equal(4 + 6, run.RegistryRequests);
    }

    [Fact]
    public async Task Check_SemverRepositoryMissing_IsAnErrorThatSaysTagsCouldNotBeListed()
    {
        var host = "host-" + Guid.NewGuid().ToString("N")[..8];
        var r = stack.Registry.Host;
        await stack.ReportAsync(host, DetectionFixture.Container("lost", $"{r}/{host}/nothing:1.0.0",
            new Dictionary<string, string> { ["harbor.track"] = "semver:^1" }, repoDigests: $"{r}/{host}/nothing@sha256:{new string('c', 64)}"));

        await stack.CheckAsync(new { hostId = host });

        var lost = (await stack.ContainerAsync(host, "lost")).Update;
        Assert.Equal("error", lost.Status);
        Assert.Contains("Listing the tags", lost.Error);
        Assert.Contains($"has no repository {host}/nothing", lost.Error);
    }
}
