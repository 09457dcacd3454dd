namespace Harbor.Controller.Inventory;

/// <summary>A Docker host as the API shows it.</summary>
internal sealed record HostResponse(
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
    IReadOnlyList<string> Capabilities,
    int ContainerCount,
    DateTimeOffset FirstSeenAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset? ConnectedAt,
    DateTimeOffset? DisconnectedAt,
    string? Group);

/// <summary>
/// A container as its agent last reported it. <c>Stale</c> is true while the host is offline:
/// the data is the last known state, not a live one.
/// </summary>
internal sealed record ContainerResponse(
    string HostId,
    string HostName,
    string Id,
    string Name,
    string Image,
    string ImageId,
    IReadOnlyList<string> RepoDigests,
    IReadOnlyDictionary<string, string> Labels,
    string State,
    string Health,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? StartedAt,
    string? ComposeProject,
    string? ComposeService,
    int RestartCount,
    int ExitCode,
    string? Platform,
    IReadOnlyList<NetworkResponse> Networks,
    IReadOnlyList<PortResponse> Ports,
    bool Stale,
    DateTimeOffset UpdatedAt,
    UpdateCheckResponse Update);

/// <summary>
/// The container's update status from its last check: unchecked, up-to-date, update-available
/// (<c>RemoteDigest</c> is the new digest), pinned, local, or error (<c>Error</c> says why). For a
/// container that tracks a semver range, <c>TargetTag</c> is the tag the range selected and
/// <c>Reference</c>/<c>RemoteDigest</c> are that tag's.
/// </summary>
internal sealed record UpdateCheckResponse(string Status, string? Reference, string? RemoteDigest, string? Error, DateTimeOffset? CheckedAt, string? TargetTag = null);

internal sealed record NetworkResponse(string Network, string? IpAddress, string? Ipv6Address, string? MacAddress, IReadOnlyList<string> Aliases);

internal sealed record PortResponse(int ContainerPort, string Protocol, string? HostIp, int? HostPort);

internal sealed record PagedResponse<T>(IReadOnlyList<T> Items, int Page, int PageSize, int Total);
