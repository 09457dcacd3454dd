namespace Harbor.Controller.Security.ApiKeys;

/// <summary>An API key as listed: never its secret. Status: active, rotated (in its grace period), expired or revoked.</summary>
internal sealed record ApiKeyResponse(
    string Id,
    string Name,
    IReadOnlyList<string> Scopes,
    string? OwnerUserId,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt,
    DateTimeOffset? RevokedAt,
    string? RotatedTo,
    DateTimeOffset? GraceUntil);
