namespace Harbor.Controller.Security.Enrollment;

/// <summary>The enrollment_tokens table, column for column (timestamps as stored text).</summary>
internal sealed record EnrollmentTokenRow
{
    public required string Id { get; init; }
    public required string SecretHash { get; init; }
    public string? Description { get; init; }
    public string? CreatedBy { get; init; }
    public required string CreatedAt { get; init; }
    public required string ExpiresAt { get; init; }
    public string? UsedAt { get; init; }
    public string? UsedByAgent { get; init; }
    public string? RevokedAt { get; init; }
    public string? RevokedBy { get; init; }
}
