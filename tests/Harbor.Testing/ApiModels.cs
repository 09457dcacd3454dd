namespace Harbor.Testing;

// The API contract as a client sees it (deliberately not the controller's own types, so a
// breaking change to the JSON fails the tests).

public sealed record ApiHost(
    string Id,
    string Name,
    bool Online,
    string AgentVersion,
    string Os,
    string Architecture,
    string EngineVersion,
    string EngineApiVersion,
    bool EngineReachable,
    string? EngineError,
    List<string> Capabilities,
    int ContainerCount,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? ConnectedAt,
    DateTimeOffset? DisconnectedAt);

public sealed record ApiNetwork(string Network, string? IpAddress, List<string> Aliases);

public sealed record ApiPort(int ContainerPort, string Protocol, string? HostIp, int? HostPort);

public sealed record ApiContainer(
    string HostId,
    string HostName,
    string Id,
    string Name,
    string Image,
    string ImageId,
    List<string> RepoDigests,
    Dictionary<string, string> Labels,
    string State,
    string Health,
    DateTimeOffset? StartedAt,
    string? ComposeProject,
    string? ComposeService,
    string? Platform,
    List<ApiNetwork> Networks,
    List<ApiPort> Ports,
    bool Stale);

public sealed record ApiPage<T>(List<T> Items, int Page, int PageSize, int Total);
