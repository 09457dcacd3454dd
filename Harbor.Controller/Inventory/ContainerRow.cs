namespace Harbor.Controller.Inventory;

/// <summary>The containers table, column for column (timestamps as stored text, lists as JSON), plus the last check result.</summary>
internal sealed record ContainerRow
{
    public required string HostId { get; init; }
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string Image { get; init; }
    public required string ImageId { get; init; }
    public required string State { get; init; }
    public required string Health { get; init; }
    public string? CreatedAt { get; init; }
    public string? StartedAt { get; init; }
    public string? ComposeProject { get; init; }
    public string? ComposeService { get; init; }
    public required long RestartCount { get; init; }
    public required long ExitCode { get; init; }
    public string? Platform { get; init; }
    public required string RepoDigests { get; init; }
    public required string Labels { get; init; }
    public required string Networks { get; init; }
    public required string Ports { get; init; }
    public required string UpdatedAt { get; init; }

    // The container's last update check (container_checks, joined in by the queries; null until checked).
    public string? CheckStatus { get; init; }
    public string? CheckReference { get; init; }
    public string? CheckRemoteDigest { get; init; }
    public string? CheckError { get; init; }
    public string? CheckTargetTag { get; init; }
    public string? CheckedAt { get; init; }
}
