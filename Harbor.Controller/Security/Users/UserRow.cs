namespace Harbor.Controller.Security.Users;

/// <summary>The users table, column for column (timestamps as stored text).</summary>
internal sealed record UserRow
{
    public required string Id { get; init; }
    public required string UserName { get; init; }
    public required string PasswordHash { get; init; }
    public required string Role { get; init; }
    public string? HostGroups { get; init; }
    public string? TotpSecret { get; init; }
    public long TotpEnabled { get; init; }
    public long? TotpLastStep { get; init; }
    public long Disabled { get; init; }
    public required string CreatedAt { get; init; }
    public required string UpdatedAt { get; init; }
}
