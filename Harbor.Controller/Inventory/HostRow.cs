namespace Harbor.Controller.Inventory;

/// <summary>The hosts table, column for column (timestamps as stored text).</summary>
internal sealed record HostRow
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required string AgentVersion { get; init; }
    public required string Os { get; init; }
    public required string Architecture { get; init; }
    public required string EngineVersion { get; init; }
    public required string EngineApiVersion { get; init; }
    public required long EngineReachable { get; init; }
    public string? EngineError { get; init; }
    public required string Capabilities { get; init; }
    public required string FirstSeenAt { get; init; }
    public required string LastSeenAt { get; init; }
    public string? ConnectedAt { get; init; }
    public string? DisconnectedAt { get; init; }
    public string? HostGroup { get; init; }
}
