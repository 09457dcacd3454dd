using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Dapper;
using Google.Protobuf;
using Grpc.Core;
using Harbor.Controller.Agents;
using Harbor.Controller.Data;
using Harbor.Controller.Security.Audit;
using Harbor.Protos.Agent.V1;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.Enrollment;

/// <summary>
/// Agent identities: enrollment tokens (single-use, expiring), the enrollment itself (token + CSR →
/// client certificate signed by the controller's CA), the credentials issued, and their revocation,
/// which ends a connected agent's stream at once.
/// </summary>
internal sealed class AgentEnrollment(
    SqliteConnectionFactory connections,
    AgentCertificateAuthority ca,
    ConnectedAgents agents,
    AuditLog audit,
    TimeProvider timeProvider,
    IOptions<SecurityOptions> options,
    IOptions<AgentHubOptions> hubOptions,
    ILogger<AgentEnrollment> logger)
{
    private const int MaxCsrBytes = 8 * 1024;

    public async Task<CreatedEnrollmentToken> CreateTokenAsync(string? description, TimeSpan? lifetime, string? createdBy, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var (id, secret) = EnrollmentTokenFormat.NewIdAndSecret();
        var expiresAt = now + (lifetime ?? options.Value.EnrollmentTokenLifetime);
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO enrollment_tokens (id, secret_hash, description, created_by, created_at, expires_at)
            VALUES (@id, @hash, @description, @createdBy, @createdAt, @expiresAt)
            """,
            new { id, hash = EnrollmentTokenFormat.Hash(secret), description, createdBy, createdAt = DbTime.ToText(now), expiresAt = DbTime.ToText(expiresAt) },
            cancellationToken: cancellationToken));
        return new CreatedEnrollmentToken(id, EnrollmentTokenFormat.Format(id, secret, ca.Fingerprint), ca.Fingerprint, expiresAt);
    }

    public async Task<IReadOnlyList<EnrollmentTokenResponse>> ListTokensAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<EnrollmentTokenRow>(new CommandDefinition(
            "SELECT * FROM enrollment_tokens ORDER BY created_at DESC", cancellationToken: cancellationToken));
        // A token enrolls at most one agent, so each used token has at most one credential naming it.
        var hostNames = (await connection.QueryAsync<(string TokenId, string HostName)>(new CommandDefinition(
                "SELECT enrollment_token_id, host_name FROM agent_credentials WHERE enrollment_token_id IS NOT NULL", cancellationToken: cancellationToken)))
            .ToDictionary(c => c.TokenId, c => c.HostName, StringComparer.Ordinal);
        return [.. rows.Select(r => new EnrollmentTokenResponse(
            r.Id, r.Description, TokenStatus(r, now), DbTime.Parse(r.CreatedAt), DbTime.Parse(r.ExpiresAt), DbTime.ParseOrNull(r.UsedAt), r.UsedByAgent,
            r.CreatedBy, hostNames.GetValueOrDefault(r.Id), DbTime.ParseOrNull(r.RevokedAt), r.RevokedBy))];
    }

    /// <summary>Revokes an unused token; <paramref name="revokedBy"/> is the caller as <c>kind:name</c>, kept on the token.</summary>
    public async Task<bool> RevokeTokenAsync(string id, string revokedBy, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE enrollment_tokens SET revoked_at = @now, revoked_by = @revokedBy WHERE id = @id AND revoked_at IS NULL AND used_at IS NULL",
            new { id, revokedBy, now = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>
    /// Spends the token and issues the agent's certificate in one transaction: a token enrolls exactly
    /// one agent, and an agent id with an active credential cannot be taken over by another token.
    /// </summary>
    public async Task<EnrollResponse> EnrollAsync(EnrollRequest request, string peer, CancellationToken cancellationToken)
    {
        try
        {
            return await EnrollCoreAsync(request, peer, cancellationToken);
        }
        catch (RpcException e)
        {
            await audit.RecordAsync(
                new AuditEntry(AuditActors.Agent, Truncate(request.AgentId), Truncate(request.HostName), "EnrollAgent", "token=" + Truncate(request.TokenId), false, null, PeerAddress(peer), e.Status.Detail),
                CancellationToken.None);
            throw;
        }
    }

    private async Task<EnrollResponse> EnrollCoreAsync(EnrollRequest request, string peer, CancellationToken cancellationToken)
    {
        if (hubOptions.Value.DevMode)
        {
            throw Reject(StatusCode.FailedPrecondition, peer, "The controller runs in development mode (shared DevToken); agents need no enrollment.");
        }

        var publicKey = ValidateRequest(request, peer);
        var now = timeProvider.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        var token = await connection.QuerySingleOrDefaultAsync<EnrollmentTokenRow>(new CommandDefinition(
            "SELECT * FROM enrollment_tokens WHERE id = @id", new { id = request.TokenId }, transaction, cancellationToken: cancellationToken));
        if (token is null || !EnrollmentTokenFormat.SecretMatches(request.TokenSecret, token.SecretHash))
        {
            throw Reject(StatusCode.Unauthenticated, peer, "The enrollment token is not valid for this controller.");
        }

        switch (TokenStatus(token, now))
        {
            case "used":
                throw Reject(StatusCode.Unauthenticated, peer, $"The enrollment token was already used (by agent {token.UsedByAgent} at {token.UsedAt}); create a new one.");
            case "revoked":
                throw Reject(StatusCode.Unauthenticated, peer, "The enrollment token was revoked; create a new one.");
            case "expired":
                throw Reject(StatusCode.Unauthenticated, peer, $"The enrollment token expired at {token.ExpiresAt}; create a new one.");
        }

        var active = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM agent_credentials WHERE agent_id = @agentId AND revoked_at IS NULL AND expires_at > @now)",
            new { agentId = request.AgentId, now = DbTime.ToText(now) },
            transaction,
            cancellationToken: cancellationToken));
        if (active)
        {
            throw Reject(StatusCode.AlreadyExists, peer,
                $"Agent '{request.AgentId}' is already enrolled. Revoke it first (POST /api/v1/agents/{request.AgentId}/revoke) to enroll it again.");
        }

        using var certificate = ca.IssueAgentCertificate(request.AgentId, publicKey, options.Value.AgentCertificateLifetime);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE enrollment_tokens SET used_at = @now, used_by_agent = @agentId WHERE id = @id",
            new { id = token.Id, agentId = request.AgentId, now = DbTime.ToText(now) },
            transaction,
            cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO agent_credentials (thumbprint, agent_id, host_name, serial_number, enrollment_token_id, issued_at, expires_at)
            VALUES (@thumbprint, @agentId, @hostName, @serial, @tokenId, @issuedAt, @expiresAt)
            """,
            new
            {
                thumbprint = ThumbprintOf(certificate),
                agentId = request.AgentId,
                hostName = request.HostName,
                serial = certificate.SerialNumber,
                tokenId = token.Id,
                issuedAt = DbTime.ToText(now),
                expiresAt = DbTime.ToText(new DateTimeOffset(certificate.NotAfter.ToUniversalTime())),
            },
            transaction,
            cancellationToken: cancellationToken));
        transaction.Commit();

        Log.AgentEnrolled(logger, request.AgentId, request.HostName, peer, token.Id);
        await audit.RecordAsync(new AuditEntry(AuditActors.Agent, request.AgentId, request.HostName, "EnrollAgent", "token=" + token.Id, true, null, PeerAddress(peer)), cancellationToken);
        return new EnrollResponse
        {
            AgentId = request.AgentId,
            Certificate = ByteString.CopyFrom(certificate.RawData),
            CaCertificate = ByteString.CopyFrom(ca.Certificate.RawData),
        };
    }

    /// <summary>The credential a client certificate stands for, or null when the controller never issued it.</summary>
    public async Task<AgentCredentialRow?> FindCredentialAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<AgentCredentialRow>(new CommandDefinition(
            "SELECT * FROM agent_credentials WHERE thumbprint = @thumbprint", new { thumbprint = ThumbprintOf(certificate) }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Stamps the credential's last use. Called once per authenticated stream (heartbeats on it write
    /// nothing here), so a connected fleet costs one write per reconnect, not one per heartbeat.
    /// </summary>
    public async Task RecordUseAsync(string thumbprint, string? remoteAddress, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE agent_credentials SET last_used_at = @now, last_used_from = @remoteAddress WHERE thumbprint = @thumbprint",
            new { thumbprint, remoteAddress, now = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<EnrolledAgentResponse>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<AgentCredentialRow>(new CommandDefinition(
            "SELECT * FROM agent_credentials ORDER BY agent_id, issued_at DESC", cancellationToken: cancellationToken));
        return [.. rows.Select(r => new EnrolledAgentResponse(
            r.AgentId,
            r.HostName,
            r.RevokedAt is not null ? "revoked" : now >= DbTime.Parse(r.ExpiresAt) ? "expired" : "active",
            r.RevokedAt is null && agents.Find(r.AgentId) is not null,
            DbTime.Parse(r.IssuedAt),
            DbTime.Parse(r.ExpiresAt),
            DbTime.ParseOrNull(r.RevokedAt),
            r.Thumbprint,
            r.RevokedBy,
            r.EnrollmentTokenId,
            DbTime.ParseOrNull(r.LastUsedAt),
            r.LastUsedFrom))];
    }

    /// <summary>Revokes every credential of the agent and ends its stream now. Returns how many credentials were revoked.</summary>
    public async Task<int> RevokeAgentAsync(string agentId, string revokedBy, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var revoked = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE agent_credentials SET revoked_at = @now, revoked_by = @revokedBy WHERE agent_id = @agentId AND revoked_at IS NULL",
            new { agentId, revokedBy, now = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken));
        if (revoked > 0)
        {
            agents.Find(agentId)?.Abort("This agent's credential was revoked.");
            Log.AgentRevoked(logger, agentId, revokedBy);
        }

        return revoked;
    }

    public static string ThumbprintOf(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    private PublicKey ValidateRequest(EnrollRequest request, string peer)
    {
        string? problem = null;
        if (string.IsNullOrEmpty(request.TokenId) || request.TokenId.Length > 64 || string.IsNullOrEmpty(request.TokenSecret) || request.TokenSecret.Length > 128)
        {
            problem = "token_id and token_secret (from the enrollment token) are required.";
        }
        else if (HelloValidator.Validate(new Hello { AgentId = request.AgentId, HostName = request.HostName }) is { } helloProblem)
        {
            problem = helloProblem.Replace("Hello.", "EnrollRequest.", StringComparison.Ordinal);
        }
        else if (request.CertificateSigningRequest.Length is 0 or > MaxCsrBytes)
        {
            problem = $"certificate_signing_request (PKCS#10, DER, at most {MaxCsrBytes} bytes) is required.";
        }

        if (problem is not null)
        {
            throw Reject(StatusCode.InvalidArgument, peer, problem);
        }

        try
        {
            // Verifies the CSR's signature: the agent holds the private key of the key it asks us to certify.
            var csr = CertificateRequest.LoadSigningRequest(request.CertificateSigningRequest.Span, HashAlgorithmName.SHA256, out _);
            return csr.PublicKey;
        }
        catch (CryptographicException e)
        {
            throw Reject(StatusCode.InvalidArgument, peer, "certificate_signing_request is not a valid, self-signed PKCS#10 request: " + e.Message);
        }
    }

    private static string Truncate(string value) => value.Length > 64 ? value[..64] : value;

    private RpcException Reject(StatusCode code, string peer, string reason)
    {
        Log.AgentEnrollmentRejected(logger, peer, reason);
        return new RpcException(new Status(code, reason));
    }

    private static string TokenStatus(EnrollmentTokenRow token, DateTimeOffset now) =>
        token.UsedAt is not null ? "used"
        : token.RevokedAt is not null ? "revoked"
        : now >= DbTime.Parse(token.ExpiresAt) ? "expired"
        : "pending";

    /// <summary>gRPC peers look like <c>ipv4:127.0.0.1:5000</c>; the audit wants the address.</summary>
    private static string PeerAddress(string peer)
    {
        var text = peer.StartsWith("ipv4:", StringComparison.Ordinal) || peer.StartsWith("ipv6:", StringComparison.Ordinal) ? peer[5..] : peer;
        var colon = text.LastIndexOf(':');
        return (colon > 0 ? text[..colon] : text).Trim('[', ']');
    }
}
