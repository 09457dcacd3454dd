using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Harbor.Controller.Security.Secrets;

namespace Harbor.Controller.Security.Enrollment;

/// <summary>
/// The controller's own certificate authority for the agent hub, created on first start. Its key is
/// stored encrypted (Data Protection) in the database. It signs the hub's TLS certificate (fresh at
/// every start) and each enrolled agent's client certificate. Agents pin this CA: they learn its
/// SHA-256 fingerprint from their enrollment token, so nobody else can stand in for the controller.
/// </summary>
internal sealed class AgentCertificateAuthority(SecretStore secrets, TimeProvider timeProvider, ILogger<AgentCertificateAuthority> logger) : IHostedService
{
    public const string CertificateSecret = "agents.ca.certificate";
    public const string KeySecret = "agents.ca.key";

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    private volatile State? state;

    /// <summary>The CA certificate (public part only).</summary>
    public X509Certificate2 Certificate => Current.Ca;

    /// <summary>SHA-256 of the CA certificate, lowercase hex: what enrollment tokens carry.</summary>
    public string Fingerprint => Current.Fingerprint;

    /// <summary>The hub's TLS certificate.</summary>
    public SslStreamCertificateContext ServerCertificateContext => Current.Server;

    private State Current => state ?? throw new InvalidOperationException("The agent CA is not loaded yet.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var certificatePem = await secrets.GetAsync(CertificateSecret, cancellationToken);
        var keyPem = await secrets.GetAsync(KeySecret, cancellationToken);
        var created = false;
        if (certificatePem is null || keyPem is null)
        {
            (certificatePem, keyPem) = CreateCa();
            // Key first: a crash in between leaves a key without a certificate, which is simply replaced next start.
            keyPem = await secrets.GetOrAddAsync(KeySecret, keyPem, cancellationToken);
            certificatePem = await secrets.GetOrAddAsync(CertificateSecret, certificatePem, cancellationToken);
            created = true;
        }

        var ca = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        var fingerprint = FingerprintOf(ca);
        var server = IssueServerCertificate(ca);
        state = new State(ca, X509CertificateLoader.LoadCertificate(ca.RawData), fingerprint, SslStreamCertificateContext.Create(server, null, offline: true));
        if (created)
        {
            Log.CaCreated(logger, fingerprint);
        }

        Log.CaLoaded(logger, fingerprint);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string FingerprintOf(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    /// <summary>Signs a client certificate for <paramref name="agentId"/> over the public key of a verified CSR.</summary>
    public X509Certificate2 IssueAgentCertificate(string agentId, PublicKey publicKey, TimeSpan lifetime)
    {
        var now = timeProvider.GetUtcNow();
        var request = new CertificateRequest(new X500DistinguishedName($"CN={agentId}, O=Harbor agent"), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ClientAuth], true));
        var names = new SubjectAlternativeNameBuilder();
        names.AddUri(new Uri($"urn:harbor:agent:{agentId}"));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Current.SigningCa, true, false));
        return request.Create(Current.SigningCa, now - ClockSkew, now + lifetime, RandomNumberGenerator.GetBytes(16));
    }

    /// <summary>Null when the certificate is a client certificate this CA issued and it is valid now; else why not.</summary>
    public string? CheckClientCertificate(X509Certificate2 certificate)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(Current.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = timeProvider.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
        if (chain.Build(certificate) && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(Current.Ca.RawData))
        {
            return null;
        }

        var problems = chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct();
        return "The client certificate was not issued by this controller's agent CA, or is not valid now: " + string.Join("; ", problems);
    }

    private (string CertificatePem, string KeyPem) CreateCa()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var request = new CertificateRequest($"CN=Harbor controller agent CA {id}, O=Harbor", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = timeProvider.GetUtcNow();
        using var ca = request.CreateSelfSigned(now - ClockSkew, now.AddYears(20));
        return (ca.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private X509Certificate2 IssueServerCertificate(X509Certificate2 ca)
    {
        var now = timeProvider.GetUtcNow();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Harbor controller agent hub, O=Harbor", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth], true));
        // Agents pin the CA rather than a name, so these names are for other TLS clients (curl, grpcurl) only.
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        if (Uri.CheckHostName(Dns.GetHostName()) == UriHostNameType.Dns)
        {
            names.AddDnsName(Dns.GetHostName());
        }

        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var issued = request.Create(ca, now - ClockSkew, now.AddYears(1), RandomNumberGenerator.GetBytes(16));
        // Through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>SigningCa carries the private key and is used only to sign; Ca is the public certificate.</summary>
    private sealed record State(X509Certificate2 SigningCa, X509Certificate2 Ca, string Fingerprint, SslStreamCertificateContext Server);
}
