using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Google.Protobuf;
using Grpc.Net.Client;
using Harbor.Protos.Agent.V1;

namespace Harbor.Testing;

/// <summary>
/// An agent's credential obtained the way the real agent obtains it: a real enrollment over TLS,
/// pinning the CA fingerprint from the token, with a CSR for a key made here.
/// </summary>
public sealed record TestAgentCredential(string AgentId, X509Certificate2 Certificate, X509Certificate2 Ca)
{
    public static async Task<TestAgentCredential> EnrollAsync(Uri hub, string enrollmentToken, string agentId, string hostName = "test-host")
    {
        var parts = enrollmentToken.Split('.');
        var fingerprint = parts[3];
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN={agentId}", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        X509Certificate2 ca;
        using (var open = CreateChannel(hub, null, trustAny: true))
        {
            var published = await new AgentHub.AgentHubClient(open).GetCertificateAuthorityAsync(new GetCertificateAuthorityRequest());
            ca = X509CertificateLoader.LoadCertificate(published.CaCertificate.Span);
            if (Convert.ToHexStringLower(SHA256.HashData(ca.RawData)) != fingerprint)
            {
                throw new InvalidOperationException("The controller's CA does not match the token's fingerprint.");
            }
        }

        using var channel = CreateChannel(hub, null, ca);
        var response = await new AgentHub.AgentHubClient(channel).EnrollAsync(new EnrollRequest
        {
            TokenId = parts[1],
            TokenSecret = parts[2],
            AgentId = agentId,
            HostName = hostName,
            CertificateSigningRequest = ByteString.CopyFrom(csr),
        });
        using var issued = X509CertificateLoader.LoadCertificate(response.Certificate.Span);
        var certificate = X509CertificateLoader.LoadPkcs12(issued.CopyWithPrivateKey(key).Export(X509ContentType.Pkcs12), null);
        return new TestAgentCredential(agentId, certificate, X509CertificateLoader.LoadCertificate(response.CaCertificate.Span));
    }

    /// <summary>
    /// A channel to the hub. With TLS the server must chain to <paramref name="trustCa"/> (unless
    /// <paramref name="trustAny"/>); the client certificate is optional.
    /// </summary>
    public static GrpcChannel CreateChannel(Uri hub, X509Certificate2? clientCertificate, X509Certificate2? trustCa = null, bool trustAny = false)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (hub.Scheme == Uri.UriSchemeHttps)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, _) =>
            {
                if (trustAny || trustCa is null || certificate is null)
                {
                    return trustAny && certificate is not null;
                }

                using var verify = new X509Chain();
                verify.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                verify.ChainPolicy.CustomTrustStore.Add(trustCa);
                verify.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return verify.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            };
            if (clientCertificate is not null)
            {
                handler.SslOptions.ClientCertificates = [clientCertificate];
            }
        }

        return GrpcChannel.ForAddress(hub, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
    }

    public GrpcChannel CreateChannel(Uri hub) => CreateChannel(hub, Certificate, Ca);
}
