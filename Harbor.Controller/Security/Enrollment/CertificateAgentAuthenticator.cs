using System.Net;
using Grpc.Core;
using Harbor.Controller.Agents;
using Harbor.Controller.Data;

namespace Harbor.Controller.Security.Enrollment;

/// <summary>
/// Agents prove who they are with the client certificate they received at enrollment: it must chain
/// to the controller's CA, be one the controller issued and has not revoked. The stream is then bound
/// to that certificate's agent id. Checked on every new stream, so a revocation holds for reconnects;
/// each success is recorded as the credential's last use.
/// </summary>
internal sealed class CertificateAgentAuthenticator(
    AgentCertificateAuthority ca, AgentEnrollment enrollment, TimeProvider timeProvider, ILogger<CertificateAgentAuthenticator> logger) : IAgentAuthenticator
{
    public async ValueTask<AgentAuthentication> AuthenticateAsync(ServerCallContext context)
    {
        var connection = context.GetHttpContext().Connection;
        var certificate = connection.ClientCertificate;
        if (certificate is null)
        {
            return AgentAuthentication.Refused(
                "No client certificate: this agent is not enrolled. Create an enrollment token (POST /api/v1/agents/enrollment-tokens) and set Harbor:Agent:EnrollmentToken.");
        }

        if (ca.CheckClientCertificate(certificate) is { } problem)
        {
            return AgentAuthentication.Refused(problem);
        }

        var credential = await enrollment.FindCredentialAsync(certificate, context.CancellationToken);
        if (credential is null)
        {
            return AgentAuthentication.Refused("This certificate is not one the controller issued to an agent (was the database restored?). Enroll the agent again.");
        }

        if (credential.RevokedAt is not null)
        {
            return AgentAuthentication.Refused($"This agent's credential was revoked at {credential.RevokedAt}. Enroll it again with a new token.");
        }

        if (timeProvider.GetUtcNow() >= DbTime.Parse(credential.ExpiresAt))
        {
            return AgentAuthentication.Refused($"This agent's certificate expired at {credential.ExpiresAt}. Enroll it again with a new token.");
        }

        // Here, not in the hub's message loop: once per stream, so heartbeats cost no write. A bookkeeping
        // write that fails (a locked database) must not keep a valid agent from its updates.
        try
        {
            await enrollment.RecordUseAsync(credential.Thumbprint, RemoteAddress(connection.RemoteIpAddress), context.CancellationToken);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e)
        {
            Log.CredentialUseNotRecorded(logger, e, credential.AgentId);
        }

        return AgentAuthentication.As(credential.AgentId);
    }

    /// <summary>A dual-stack listener reports IPv4 peers as <c>::ffff:a.b.c.d</c>; people know them as <c>a.b.c.d</c>.</summary>
    private static string? RemoteAddress(IPAddress? address) =>
        address is null ? null : (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
}
