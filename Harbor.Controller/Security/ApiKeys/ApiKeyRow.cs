namespace Harbor.Controller.Security.ApiKeys;

/// <summary>The api_keys table, column for column (timestamps as stored text).</summary>
internal sealed record ApiKeyRow
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string SecretHash { get; init; }
    public required string Scopes { get; init; }
    public string? OwnerUserId { get; init; }
    public required string CreatedAt { get; init; }
    public string? ExpiresAt { get; init; }
    public string? LastUsedAt { get; init; }
    public string? RevokedAt { get; init; }
    public string? RotatedTo { get; init; }
    public string? GraceUntil { get; init; }
}
