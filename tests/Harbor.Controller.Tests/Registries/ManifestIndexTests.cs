using System.Text;
using Harbor.Controller.Registries;

namespace Harbor.Controller.Tests.Registries;

public sealed class ManifestIndexTests
{
    private static readonly string Amd64 = "sha256:" + new string('1', 64);
    private static readonly string Arm64 = "sha256:" + new string('2', 64);
    private static readonly string ArmV6 = "sha256:" + new string('3', 64);
    private static readonly string Attestation = "sha256:" + new string('4', 64);

    private static ManifestIndex Index() => ManifestIndex.Parse(Encoding.UTF8.GetBytes($$$"""
        {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Attestation}}}","size":1,"platform":{"architecture":"unknown","os":"unknown"},
           "annotations":{"vnd.docker.reference.type":"attestation-manifest","vnd.docker.reference.digest":"{{{Amd64}}}"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Amd64}}}","size":1,"platform":{"architecture":"amd64","os":"linux"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{Arm64}}}","size":1,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}},
          {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{{ArmV6}}}","size":1,"platform":{"architecture":"arm","os":"linux","variant":"v6"}}
        ]}
        """));

    [Theory]
    [InlineData("linux", "x86_64", null, "1")]
    [InlineData("linux", "amd64", null, "1")]
    [InlineData("linux", "aarch64", null, "2")]
    [InlineData("linux", "arm64", "v8", "2")]
    [InlineData("linux", "armhf", null, "3")]
    [InlineData("linux", "armv7l", null, "3")]
    [InlineData("linux", "arm", "v6", "3")]
    public void Resolve_HostPlatform_PicksTheEntryTheEngineWouldPull(string os, string architecture, string? variant, string digestDigit)
    {
        var entry = Index().Resolve(ImagePlatform.Create(os, architecture, variant));

        Assert.Equal("sha256:" + new string(digestDigit[0], 64), entry?.Digest);
    }

    [Fact]
    public void Resolve_MissingPlatform_IsNullAndNeverTheAttestation()
    {
        Assert.Null(Index().Resolve(ImagePlatform.Create("linux", "s390x")));
        Assert.Null(Index().Resolve(ImagePlatform.Create("unknown", "unknown")));
        Assert.Single(Index().Manifests, m => m.IsAttestation);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"manifests\":[{\"digest\":\"md5:1\"}]}")]
    [InlineData("not json")]
    public void Parse_NotAnIndex_ThrowsFormatException(string body) =>
        Assert.Throws<FormatException>(() => ManifestIndex.Parse(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("linux/amd64", "linux/amd64")]
    [InlineData("linux/x86_64", "linux/amd64")]
    [InlineData("linux/aarch64", "linux/arm64")]
    [InlineData("linux/arm64/v8", "linux/arm64")]
    [InlineData("linux/armhf", "linux/arm/v7")]
    [InlineData("linux/armel", "linux/arm/v6")]
    [InlineData("linux/arm", "linux/arm/v7")]
    [InlineData("linux/arm/7", "linux/arm/v7")]
    [InlineData("linux/i686", "linux/386")]
    public void ImagePlatform_Parse_Normalizes(string text, string expected) =>
        Assert.Equal(expected, ImagePlatform.Parse(text)!.ToString());
}
