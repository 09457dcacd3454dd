using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Harbor.Controller.Registries;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Registries;

/// <summary>A real registry serving HTTPS with a certificate from a test CA: trusted only when the registry's CA is configured.</summary>
public sealed class RegistryTlsTests : IAsyncLifetime
{
    private readonly TempDirectory directory = new("registry-tls");
    private RegistryServer registry = null!;

    private string CaFile => directory.Combine("ca.pem");

    public async ValueTask InitializeAsync()
    {
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=Harbor Test CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));

        using var serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddDays(7), RandomNumberGenerator.GetBytes(8));

        await File.WriteAllTextAsync(CaFile, ca.ExportCertificatePem());
        await File.WriteAllTextAsync(directory.Combine("server.pem"), server.ExportCertificatePem());
        await File.WriteAllTextAsync(directory.Combine("server-key.pem"), serverKey.ExportPkcs8PrivateKeyPem());
        registry = await RegistryServer.StartWithTlsAsync(directory.Combine("server.pem"), directory.Combine("server-key.pem"));
    }

    [Fact]
    public async Task HeadManifest_CustomCaConfigured_TalksTlsToTheRegistry()
    {
        using var test = new TestRegistryClient(o => o.Endpoints.Add(new RegistryEndpointOptions { Host = registry.Host, Insecure = false, CaCertificateFile = CaFile }));

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            test.Client.HeadManifestAsync(ImageReference.Parse($"{registry.Host}/tls/app:1"), "1", TestContext.Current.CancellationToken));

        // The registry answered over verified TLS: the tag simply does not exist.
        Assert.Equal(RegistryErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task HeadManifest_CaNotConfigured_FailsWithTheTlsReason()
    {
        using var test = new TestRegistryClient(o => o.Endpoints.Add(new RegistryEndpointOptions { Host = registry.Host, Insecure = false }));

        var error = await Assert.ThrowsAsync<RegistryException>(() =>
            test.Client.HeadManifestAsync(ImageReference.Parse($"{registry.Host}/tls/app:1"), "1", TestContext.Current.CancellationToken));

        Assert.Equal(RegistryErrorKind.Unreachable, error.Kind);
        Assert.Contains("TLS handshake failed", error.Message);
        Assert.Contains("CaCertificateFile", error.Message);
    }

    public async ValueTask DisposeAsync()
    {
        await registry.DisposeAsync();
        directory.Dispose();
    }
}
