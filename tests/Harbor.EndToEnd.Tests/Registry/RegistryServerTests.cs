using Harbor.Testing;

namespace Harbor.EndToEnd.Tests.Registry;

/// <summary>The test registry itself works with the real engine, with and without Basic auth.</summary>
public sealed class RegistryServerTests
{
    [Fact]
    public async Task PushAndPullByDigest_RoundTrips()
    {
        await DockerEngine.RequireAsync();
        await TestImages.EnsureBaseAsync();
        await using var registry = await RegistryServer.StartAsync();

        var digest = await registry.PushAsync(TestImages.Base, "roundtrip/base", "1");

        Assert.StartsWith("sha256:", digest);
        var pulled = await DockerCli.RunAsync("pull", $"{registry.Host}/roundtrip/base@{digest}");
        Assert.True(pulled.ExitCode == 0, pulled.Error);
    }

    [Fact]
    public async Task BasicAuthRegistry_RefusesAnonymousManifestRequests()
    {
        await DockerEngine.RequireAsync();
        await TestImages.EnsureBaseAsync();
        await using var registry = await RegistryServer.StartAsync("harbor", "s3cret-pass");
        await registry.PushAsync(TestImages.Base, "private/base", "1");

        using var http = new HttpClient();
        using var anonymous = await http.GetAsync(new Uri(registry.BaseAddress, "/v2/private/base/manifests/1"), TestContext.Current.CancellationToken);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Contains("Basic", anonymous.Headers.WwwAuthenticate.ToString());
    }
}
