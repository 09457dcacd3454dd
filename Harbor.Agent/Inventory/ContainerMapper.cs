using System.Globalization;
using Docker.DotNet.Models;
using Google.Protobuf.WellKnownTypes;
using Harbor.Protos.Agent.V1;
using NetworkAttachment = Harbor.Protos.Agent.V1.NetworkAttachment;
using Platform = Harbor.Protos.Agent.V1.Platform;
using ProtoContainer = Harbor.Protos.Agent.V1.Container;

namespace Harbor.Agent.Inventory;

/// <summary>Turns an Engine API container inspect (plus its image) into the wire <see cref="ProtoContainer"/>.</summary>
internal static class ContainerMapper
{
    public const string ComposeProjectLabel = "com.docker.compose.project";
    public const string ComposeServiceLabel = "com.docker.compose.service";

    public static ProtoContainer Map(ContainerInspectResponse inspect, ImageInfo? image)
    {
        ArgumentNullException.ThrowIfNull(inspect);

        var labels = inspect.Config?.Labels ?? new Dictionary<string, string>();
        var container = new ProtoContainer
        {
            Id = inspect.ID,
            Name = (inspect.Name ?? "").TrimStart('/'),
            Image = inspect.Config?.Image ?? "",
            ImageId = inspect.Image ?? "",
            State = MapState(inspect.State?.Status),
            Health = MapHealth(inspect.State?.Health?.Status),
            CreatedAt = ToTimestamp(inspect.Created),
            ComposeProject = labels.TryGetValue(ComposeProjectLabel, out var project) ? project : "",
            ComposeService = labels.TryGetValue(ComposeServiceLabel, out var service) ? service : "",
            RestartCount = (int)Math.Clamp(inspect.RestartCount, 0, int.MaxValue),
            ExitCode = (int)Math.Clamp(inspect.State?.ExitCode ?? 0, int.MinValue, int.MaxValue),
            Platform = image?.Platform ?? new Platform { Os = inspect.Platform ?? "" },
        };

        if (TryParseDockerTime(inspect.State?.StartedAt, out var startedAt))
        {
            container.StartedAt = Timestamp.FromDateTimeOffset(startedAt);
        }

        container.Labels.Add(labels);
        if (image is not null)
        {
            container.RepoDigests.AddRange(image.RepoDigests);
        }

        foreach (var (name, endpoint) in inspect.NetworkSettings?.Networks ?? new Dictionary<string, EndpointSettings>())
        {
            var attachment = new NetworkAttachment
            {
                Network = name,
                IpAddress = endpoint?.IPAddress ?? "",
                Ipv6Address = endpoint?.GlobalIPv6Address ?? "",
                MacAddress = endpoint?.MacAddress ?? "",
            };
            if (endpoint?.Aliases is { } aliases)
            {
                attachment.Aliases.AddRange(aliases);
            }

            container.Networks.Add(attachment);
        }

        container.Ports.AddRange(MapPorts(inspect));
        return container;
    }

    public static ImageInfo MapImage(ImageInspectResponse image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return new ImageInfo(
            [.. image.RepoDigests ?? []],
            new Platform { Os = image.Os ?? "", Architecture = image.Architecture ?? "", Variant = image.Variant ?? "" });
    }

    public static ContainerState MapState(string? status) => status switch
    {
        "created" => ContainerState.Created,
        "running" => ContainerState.Running,
        "paused" => ContainerState.Paused,
        "restarting" => ContainerState.Restarting,
        "removing" => ContainerState.Removing,
        "exited" => ContainerState.Exited,
        "dead" => ContainerState.Dead,
        _ => ContainerState.Unspecified,
    };

    public static HealthStatus MapHealth(string? status) => status switch
    {
        "starting" => HealthStatus.Starting,
        "healthy" => HealthStatus.Healthy,
        "unhealthy" => HealthStatus.Unhealthy,
        _ => HealthStatus.None,
    };

    /// <summary>
    /// Published ports: the live bindings while the container runs, else the configured ones
    /// (a stopped container has no live bindings but will get the configured ones on start).
    /// </summary>
    private static IEnumerable<PublishedPort> MapPorts(ContainerInspectResponse inspect)
    {
        var live = inspect.NetworkSettings?.Ports;
        var source = live is { Count: > 0 } ? live : inspect.HostConfig?.PortBindings;
        if (source is null)
        {
            yield break;
        }

        foreach (var (key, bindings) in source.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var (containerPort, protocol) = ParsePortKey(key);
            if (containerPort == 0)
            {
                continue;
            }

            if (bindings is null || bindings.Count == 0)
            {
                yield return new PublishedPort { ContainerPort = containerPort, Protocol = protocol };
                continue;
            }

            foreach (var binding in bindings)
            {
                _ = uint.TryParse(binding.HostPort, NumberStyles.None, CultureInfo.InvariantCulture, out var hostPort);
                yield return new PublishedPort
                {
                    ContainerPort = containerPort,
                    Protocol = protocol,
                    HostIp = binding.HostIP ?? "",
                    HostPort = hostPort,
                };
            }
        }
    }

    private static (uint Port, string Protocol) ParsePortKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var portText = slash < 0 ? key : key[..slash];
        var protocol = slash < 0 ? "tcp" : key[(slash + 1)..];
        return uint.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? (port, protocol)
            : (0, protocol);
    }

    private static Timestamp ToTimestamp(DateTime value) =>
        Timestamp.FromDateTime(value.Kind == DateTimeKind.Utc ? value : DateTime.SpecifyKind(value.ToUniversalTime(), DateTimeKind.Utc));

    /// <summary>Docker reports "0001-01-01T00:00:00Z" for a container that never started.</summary>
    private static bool TryParseDockerTime(string? text, out DateTimeOffset value)
    {
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)
            && value.Year > 1)
        {
            return true;
        }

        value = default;
        return false;
    }
}
