namespace Harbor.Controller.Registries.Credentials;

/// <summary>The registry_credentials table, column for column. <see cref="ProtectedSecret"/> is ciphertext.</summary>
internal sealed record CredentialRow
{
    public required string Id { get; init; }
    public required string Registry { get; init; }
    public required string Username { get; init; }
    public required string ProtectedSecret { get; init; }
    public required string Source { get; init; }
    public required string CreatedAt { get; init; }
    public required string UpdatedAt { get; init; }
}
