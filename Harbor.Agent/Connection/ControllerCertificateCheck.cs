using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Harbor.Agent.Connection;

/// <summary>
/// The agent trusts exactly one CA: its controller's, pinned by fingerprint from the enrollment
/// token. Host names are not checked (agents reach the controller by IP, service name or tunnel);
/// the pin is what proves identity. The hub certificate must also be a server certificate, so an
/// agent's client certificate from the same CA cannot pose as the controller.
/// </summary>
internal static class ControllerCertificateCheck
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");

    public static string FingerprintOf(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    /// <summary>Whether <paramref name="presented"/> is a server certificate issued by <paramref name="ca"/> and valid now.</summary>
    public static bool IsIssuedBy(X509Certificate? presented, X509Certificate2 ca)
    {
        if (presented is null)
        {
            return false;
        }

        using var leaf = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
        return chain.Build(leaf) && chain.ChainElements[^1].Certificate.RawData.AsSpan().SequenceEqual(ca.RawData);
    }
}
