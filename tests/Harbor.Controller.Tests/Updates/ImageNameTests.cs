using Harbor.Controller.Updates;

namespace Harbor.Controller.Tests.Updates;

/// <summary>
/// The reference a container names is what an update pulls and re-tags: it must split as written (no
/// docker.io/library/ added), and anything that is not a pullable reference must be refused up front.
/// </summary>
public sealed class ImageNameTests
{
    private const string Digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData("nginx", "nginx", null, null, "nginx:latest")]
    [InlineData("nginx:1.27", "nginx", "1.27", null, "nginx:1.27")]
    [InlineData("127.0.0.1:5000/team/app:v2", "127.0.0.1:5000/team/app", "v2", null, "127.0.0.1:5000/team/app:v2")]
    [InlineData("localhost:5000/app@" + Digest, "localhost:5000/app", null, Digest, "localhost:5000/app:latest")]
    [InlineData("ghcr.io/o/app:1@" + Digest, "ghcr.io/o/app", "1", Digest, "ghcr.io/o/app:1")]
    [InlineData("docker.io/library/redis:7", "docker.io/library/redis", "7", null, "docker.io/library/redis:7")]
    public void TryParse_Reference_KeepsTheRepositoryAsWritten(string text, string repository, string? tag, string? digest, string tagReference)
    {
        Assert.True(ImageName.TryParse(text, out var name));
        Assert.Equal(repository, name.Repository);
        Assert.Equal(tag, name.Tag);
        Assert.Equal(digest, name.Digest);
        Assert.Equal(tagReference, name.TagReference);
        Assert.Equal(repository + "@" + Digest, name.DigestReference(Digest));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("MyApp:1")]
    [InlineData("nginx:bad tag")]
    [InlineData("app@sha256:short")]
    [InlineData("app@sha512:00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(Digest)]
    [InlineData("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void TryParse_NotAPullableReference_IsRefused(string? text) => Assert.False(ImageName.TryParse(text, out _));

    [Theory]
    [InlineData(Digest, true)]
    [InlineData("sha256:0123", false)]
    [InlineData("sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", false)]
    [InlineData("md5:0123456789abcdef0123456789abcdef", false)]
    [InlineData(null, false)]
    public void IsDigest_OnlyLowerCaseSha256(string? text, bool expected) => Assert.Equal(expected, ImageName.IsDigest(text));
}
