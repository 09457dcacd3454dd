namespace Harbor.Controller.Security.Enrollment;

internal sealed record CreateEnrollmentTokenRequest(string? Description, double? ExpiresInHours);

/// <summary>A new enrollment token: <c>Token</c> (the whole string to give the agent) is in this answer only.</summary>
internal sealed record CreatedEnrollmentToken(string Id, string Token, string CaFingerprint, DateTimeOffset ExpiresAt);

/// <summary>
/// Status: pending, used, expired or revoked. <c>CreatedBy</c> is the user who created it (null for
/// tokens made before that was recorded); <c>UsedByHost</c> the host name the agent enrolled with;
/// <c>RevokedBy</c> the revoking caller as <c>kind:name</c> (null for tokens revoked before that was recorded).
/// </summary>
internal sealed record EnrollmentTokenResponse(
    string Id,
    string? Description,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt,
    string? UsedByAgent,
    string? CreatedBy,
    string? UsedByHost,
    DateTimeOffset? RevokedAt,
    string? RevokedBy);

/// <summary>
/// An enrolled agent identity. Status: active, revoked or expired (its certificate). <c>RevokedBy</c>
/// is the revoking caller as <c>kind:name</c> (<c>user:admin</c>); <c>EnrollmentTokenId</c> the token it enrolled with.
/// <c>LastUsedAt</c>/<c>LastUsedFrom</c>: when the credential last authenticated a stream and the remote
/// address it came from (null until it does).
/// </summary>
internal sealed record EnrolledAgentResponse(
    string AgentId,
    string HostName,
    string Status,
    bool Connected,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    string CertificateThumbprint,
    string? RevokedBy,
    string? EnrollmentTokenId,
    DateTimeOffset? LastUsedAt,
    string? LastUsedFrom);

internal sealed record AgentCaResponse(string Fingerprint, string CertificatePem);
