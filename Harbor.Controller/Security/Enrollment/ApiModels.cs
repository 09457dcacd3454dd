namespace Harbor.Controller.Security.Enrollment;

internal sealed record CreateEnrollmentTokenRequest(string? Description, double? ExpiresInHours);

/// <summary>A new enrollment token: <c>Token</c> (the whole string to give the agent) is in this answer only.</summary>
internal sealed record CreatedEnrollmentToken(string Id, string Token, string CaFingerprint, DateTimeOffset ExpiresAt);

/// <summary>Status: pending, used, expired or revoked.</summary>
internal sealed record EnrollmentTokenResponse(
    string Id,
    string? Description,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt,
    string? UsedByAgent);

/// <summary>An enrolled agent identity. Status: active, revoked or expired (its certificate).</summary>
internal sealed record EnrolledAgentResponse(
    string AgentId,
    string HostName,
    string Status,
    bool Connected,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    string CertificateThumbprint);

internal sealed record AgentCaResponse(string Fingerprint, string CertificatePem);
