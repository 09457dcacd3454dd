using System.Text.Json;
using Harbor.Controller.Data;
using Harbor.Protos.Agent.V1;

namespace Harbor.Controller.Inventory;

/// <summary>Wire messages → table rows → API responses.</summary>
internal static class InventoryMapper
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static readonly IReadOnlyList<string> States = ["created", "running", "paused", "restarting", "removing", "exited", "dead"];

    public static HostRow ToHostRow(Hello hello, DateTimeOffset at) => new()
    {
        Id = hello.AgentId,
        Name = hello.HostName,
        AgentVersion = hello.AgentVersion,
        Os = hello.Os,
        Architecture = hello.Architecture,
        EngineVersion = hello.EngineVersion,
        EngineApiVersion = hello.EngineApiVersion,
        EngineReachable = string.IsNullOrEmpty(hello.EngineVersion) ? 0 : 1,
        Capabilities = JsonSerializer.Serialize(hello.Capabilities, Json),
        FirstSeenAt = DbTime.ToText(at),
        LastSeenAt = DbTime.ToText(at),
        ConnectedAt = DbTime.ToText(at),
    };

    public static ContainerRow ToRow(string hostId, Container container, DateTimeOffset at) => new()
    {
        HostId = hostId,
        Id = container.Id,
        Name = container.Name,
        Image = container.Image,
        ImageId = container.ImageId,
        State = StateName(container.State),
        Health = HealthName(container.Health),
        CreatedAt = container.CreatedAt is null ? null : DbTime.ToText(container.CreatedAt.ToDateTimeOffset()),
        StartedAt = container.StartedAt is null ? null : DbTime.ToText(container.StartedAt.ToDateTimeOffset()),
        ComposeProject = NullIfEmpty(container.ComposeProject),
        ComposeService = NullIfEmpty(container.ComposeService),
        RestartCount = container.RestartCount,
        ExitCode = container.ExitCode,
        Platform = PlatformName(container.Platform),
        RepoDigests = JsonSerializer.Serialize(container.RepoDigests, Json),
        Labels = JsonSerializer.Serialize(container.Labels, Json),
        Networks = JsonSerializer.Serialize(
            container.Networks.Select(n => new NetworkResponse(n.Network, NullIfEmpty(n.IpAddress), NullIfEmpty(n.Ipv6Address), NullIfEmpty(n.MacAddress), [.. n.Aliases])),
            Json),
        Ports = JsonSerializer.Serialize(
            container.Ports.Select(p => new PortResponse((int)p.ContainerPort, p.Protocol, NullIfEmpty(p.HostIp), p.HostPort == 0 ? null : (int)p.HostPort)),
            Json),
        UpdatedAt = DbTime.ToText(at),
    };

    public static HostResponse ToResponse(HostRow row, bool online, int containerCount) => new(
        row.Id,
        row.Name,
        online,
        row.AgentVersion,
        row.Os,
        row.Architecture,
        row.EngineVersion,
        row.EngineApiVersion,
        row.EngineReachable != 0,
        row.EngineError,
        JsonSerializer.Deserialize<List<string>>(row.Capabilities, Json) ?? [],
        containerCount,
        DbTime.Parse(row.FirstSeenAt),
        DbTime.Parse(row.LastSeenAt),
        DbTime.ParseOrNull(row.ConnectedAt),
        DbTime.ParseOrNull(row.DisconnectedAt),
        row.HostGroup);

    public static ContainerResponse ToResponse(ContainerRow row, string hostName, bool hostOnline) => new(
        row.HostId,
        hostName,
        row.Id,
        row.Name,
        row.Image,
        row.ImageId,
        JsonSerializer.Deserialize<List<string>>(row.RepoDigests, Json) ?? [],
        JsonSerializer.Deserialize<Dictionary<string, string>>(row.Labels, Json) ?? [],
        row.State,
        row.Health,
        DbTime.ParseOrNull(row.CreatedAt),
        DbTime.ParseOrNull(row.StartedAt),
        row.ComposeProject,
        row.ComposeService,
        (int)row.RestartCount,
        (int)row.ExitCode,
        row.Platform,
        JsonSerializer.Deserialize<List<NetworkResponse>>(row.Networks, Json) ?? [],
        JsonSerializer.Deserialize<List<PortResponse>>(row.Ports, Json) ?? [],
        Stale: !hostOnline,
        DbTime.Parse(row.UpdatedAt),
        new UpdateCheckResponse(row.CheckStatus ?? Checks.UpdateStatus.Unchecked, row.CheckReference, row.CheckRemoteDigest, row.CheckError, DbTime.ParseOrNull(row.CheckedAt), row.CheckTargetTag));

    public static string StateName(ContainerState state) => state switch
    {
        ContainerState.Created => "created",
        ContainerState.Running => "running",
        ContainerState.Paused => "paused",
        ContainerState.Restarting => "restarting",
        ContainerState.Removing => "removing",
        ContainerState.Exited => "exited",
        ContainerState.Dead => "dead",
        _ => "unknown",
    };

    public static string HealthName(HealthStatus health) => health switch
    {
        HealthStatus.Starting => "starting",
        HealthStatus.Healthy => "healthy",
        HealthStatus.Unhealthy => "unhealthy",
        _ => "none",
    };

    private static string? PlatformName(Platform? platform)
    {
        if (platform is null || string.IsNullOrEmpty(platform.Os))
        {
            return null;
        }

        var name = string.IsNullOrEmpty(platform.Architecture) ? platform.Os : $"{platform.Os}/{platform.Architecture}";
        return string.IsNullOrEmpty(platform.Variant) ? name : $"{name}/{platform.Variant}";
    }

    private static string? NullIfEmpty(string value) => string.IsNullOrEmpty(value) ? null : value;
}
