using System.Net.Security;
using Grpc.Core;

namespace Harbor.Agent.Connection;

/// <summary>
/// How the agent proves who it is to the controller, and how it knows the controller is genuine.
/// Production: <see cref="EnrolledCertificateCredentials"/> (enrollment, client certificate, pinned CA
/// over TLS). Development only: <see cref="DevTokenCredentials"/> (a shared token over plain HTTP/2).
/// </summary>
internal interface IControllerCredentials
{
    /// <summary>Makes sure a credential exists before connecting (enrolls on first start). Throws <see cref="EnrollmentException"/> with the reason.</summary>
    Task EnsureReadyAsync(CancellationToken cancellationToken);

    Metadata CreateCallHeaders();

    /// <summary>Applied once to the channel's TLS settings; callbacks read the current credential at each handshake.</summary>
    void ConfigureTls(SslClientAuthenticationOptions tls);
}
