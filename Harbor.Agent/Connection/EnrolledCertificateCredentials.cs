using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Harbor.Agent.Diagnostics;
using Harbor.Protos.Agent.V1;
using Microsoft.Extensions.Options;

namespace Harbor.Agent.Connection;

/// <summary>
/// The agent's own client certificate, obtained once by enrollment and kept in the state directory.
/// Enrollment: parse the token, create a key that never leaves this host, connect over TLS and accept
/// the controller only if its certificate chains to the CA whose fingerprint the token carries, then
/// send the token's secret with a CSR and store the certificate that comes back. Every later
/// connection presents that certificate and trusts only that CA.
/// </summary>
internal sealed class EnrolledCertificateCredentials(
    IOptions<AgentOptions> options,
    AgentIdentity identity,
    IServiceProvider services,
    TimeProvider timeProvider,
    ILogger<EnrolledCertificateCredentials> logger) : IControllerCredentials, IDisposable
{
    private static readonly TimeSpan EnrollTimeout = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim gate = new(1, 1);
    private volatile Credential? current;

    public async Task EnsureReadyAsync(CancellationToken cancellationToken)
    {
        if (current is not null)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (current is null)
            {
                current = await LoadOrEnrollAsync(cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public Metadata CreateCallHeaders() => [];

    public void ConfigureTls(SslClientAuthenticationOptions tls)
    {
        tls.LocalCertificateSelectionCallback = (_, _, _, _, _) => current?.Certificate!;
        tls.RemoteCertificateValidationCallback = (_, certificate, _, _) =>
            current is { } credential && ControllerCertificateCheck.IsIssuedBy(certificate, credential.Ca);
    }

    private async Task<Credential> LoadOrEnrollAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var files = new AgentCredentialFiles(identity.StateDirectory);
        var configured = !string.IsNullOrWhiteSpace(settings.EnrollmentToken) ? settings.EnrollmentToken : await ReadTokenFileAsync(settings.EnrollmentTokenFile, cancellationToken);
        var token = string.IsNullOrWhiteSpace(configured) ? null : EnrollmentToken.Parse(configured);
        if (files.Exist && (token is null || token.Id == files.EnrolledWithTokenId))
        {
            return Loaded(files);
        }

        if (token is null)
        {
            throw string.IsNullOrWhiteSpace(settings.EnrollmentTokenFile)
                ? new EnrollmentException(
                    "This agent is not enrolled. Create an enrollment token on the controller (POST /api/v1/agents/enrollment-tokens) and set Harbor:Agent:EnrollmentToken.")
                : new EnrollmentException(
                    $"This agent is not enrolled and waits for its enrollment token in {settings.EnrollmentTokenFile} " +
                    "(the controller writes it at start when Harbor:Controller:Agents:LocalAgentTokenFile names the same file).",
                    waiting: true);
        }

        try
        {
            return await EnrollAsync(token, files, cancellationToken);
        }
        catch (EnrollmentException e) when (files.Exist && e.InnerException is RpcException { StatusCode: StatusCode.AlreadyExists })
        {
            // A new token while the old credential is still active: keep using the old one.
            Log.EnrollmentSkipped(logger, e.Message);
            return Loaded(files);
        }
    }

    /// <summary>The token file's content; null while it does not exist (the controller may not have written it yet).</summary>
    private static async Task<string?> ReadTokenFileAsync(string? path, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        try
        {
            return (await File.ReadAllTextAsync(path, cancellationToken)).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new EnrollmentException($"Cannot read the enrollment token file {path}: {e.Message}", e);
        }
    }

    private Credential Loaded(AgentCredentialFiles files)
    {
        var (certificate, ca) = files.Load();
        Log.CredentialLoaded(logger, certificate.Subject, certificate.NotAfter, ControllerCertificateCheck.FingerprintOf(ca));
        return new Credential(certificate, ca);
    }

    private async Task<Credential> EnrollAsync(EnrollmentToken token, AgentCredentialFiles files, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var csr = new CertificateRequest($"CN={identity.AgentId}", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        Log.Enrolling(logger, settings.ControllerUrl, token.Id, token.CaFingerprint);
        var pinnedCa = await FetchPinnedCaAsync(token, cancellationToken);

        // From here on only the pinned CA is trusted: the secret goes to nobody else.
        using var channel = ControllerChannelFactory.Create(services, tls =>
            tls.RemoteCertificateValidationCallback = (_, certificate, _, _) => ControllerCertificateCheck.IsIssuedBy(certificate, pinnedCa));
        EnrollResponse response;
        try
        {
            response = await new AgentHub.AgentHubClient(channel).EnrollAsync(
                new EnrollRequest
                {
                    TokenId = token.Id,
                    TokenSecret = token.Secret,
                    AgentId = identity.AgentId,
                    HostName = string.IsNullOrWhiteSpace(settings.HostName) ? Environment.MachineName : settings.HostName,
                    CertificateSigningRequest = Google.Protobuf.ByteString.CopyFrom(csr),
                },
                deadline: timeProvider.GetUtcNow().UtcDateTime + EnrollTimeout,
                cancellationToken: cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode is not (StatusCode.Unavailable or StatusCode.DeadlineExceeded or StatusCode.Cancelled or StatusCode.Internal))
        {
            throw new EnrollmentException($"The controller refused the enrollment: {e.Status.Detail}", e);
        }

        var ca = X509CertificateLoader.LoadCertificate(response.CaCertificate.Span);
        using var issued = X509CertificateLoader.LoadCertificate(response.Certificate.Span);
        if (!pinnedCa.RawData.AsSpan().SequenceEqual(ca.RawData))
        {
            throw new EnrollmentException("The controller answered with a CA that does not match the enrollment token's fingerprint.");
        }

        if (!issued.PublicKey.EncodedKeyValue.RawData.AsSpan().SequenceEqual(new PublicKey(key).EncodedKeyValue.RawData))
        {
            throw new EnrollmentException("The controller issued a certificate for a different key.");
        }

        files.Save(key.ExportPkcs8PrivateKeyPem(), issued, ca, token.Id);
        Log.Enrolled(logger, identity.AgentId, issued.NotAfter, identity.StateDirectory);
        return Loaded(files);
    }

    /// <summary>
    /// Asks the controller for its CA (public; nothing secret is sent on this channel, so it need not
    /// trust the server yet) and keeps it only if its SHA-256 is the fingerprint in the token.
    /// </summary>
    private async Task<X509Certificate2> FetchPinnedCaAsync(EnrollmentToken token, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        using var channel = ControllerChannelFactory.Create(services, tls =>
            tls.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null);
        var response = await new AgentHub.AgentHubClient(channel).GetCertificateAuthorityAsync(
            new GetCertificateAuthorityRequest(),
            deadline: timeProvider.GetUtcNow().UtcDateTime + EnrollTimeout,
            cancellationToken: cancellationToken);
        var ca = X509CertificateLoader.LoadCertificate(response.CaCertificate.Span);
        var fingerprint = ControllerCertificateCheck.FingerprintOf(ca);
        return fingerprint == token.CaFingerprint
            ? ca
            : throw new EnrollmentException(
                $"The controller at {settings.ControllerUrl} has a different CA (SHA-256 {fingerprint}) than the one pinned in the enrollment token " +
                $"({token.CaFingerprint}); the enrollment secret was not sent. Check Harbor:Agent:ControllerUrl and the token.");
    }

    public void Dispose() => gate.Dispose();

    private sealed record Credential(X509Certificate2 Certificate, X509Certificate2 Ca);
}
