namespace Harbor.Controller.Security.Enrollment;

/// <summary>The agent_credentials table, column for column (timestamps as stored text).</summary>
internal sealed record AgentCredentialRow
{
    public required string Thumbprint { get; init; }
    public required string AgentId { get; init; }
    public required string HostName { get; init; }
    public required string SerialNumber { get; init; }
    public string? EnrollmentTokenId { get; init; }
    public required string IssuedAt { get; init; }
    public required string ExpiresAt { get; init; }
    public string? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }
    public string? LastUsedAt { get; init; }
    public string? LastUsedFrom { get; init; }
}
