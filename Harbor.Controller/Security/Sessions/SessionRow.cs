namespace Harbor.Controller.Security.Sessions;

/// <summary>The sessions table, column for column (timestamps as stored text).</summary>
internal sealed record SessionRow
{
    public required string Id { get; init; }
    public required string TokenHash { get; init; }
    public required string UserId { get; init; }
    public required string CreatedAt { get; init; }
    public required string LastSeenAt { get; init; }
    public required string ExpiresAt { get; init; }
    public string? RemoteIp { get; init; }
    public string? UserAgent { get; init; }
    public string? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }
}
