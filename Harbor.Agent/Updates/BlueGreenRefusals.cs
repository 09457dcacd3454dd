using System.Text.Json.Nodes;
using static Harbor.Agent.Updates.EngineJson;

namespace Harbor.Agent.Updates;

/// <summary>
/// Where a blue-green update cannot apply: the new container runs beside the old one for a while, so
/// nothing the two would have to hold at once (host ports, fixed addresses) may be set, and clients must
/// reach it through a user-defined network's DNS (name and aliases) for the switch to be seamless.
/// Pure, decided before anything is touched; each reason says what to change.
/// </summary>
internal static class BlueGreenRefusals
{
    /// <summary>Null when the container can be updated blue-green, else why not.</summary>
    public static string? Check(JsonObject container)
    {
        ArgumentNullException.ThrowIfNull(container);
        var name = Name(container);
        var hostConfig = container["HostConfig"];
        var recreate = " Use the recreate strategy for it.";

        if (!Flag(container["State"]?["Running"]))
        {
            return $"'{name}' is not running; a blue-green update switches traffic from a running container." + recreate;
        }

        var published = PublishedPorts(hostConfig?["PortBindings"]).ToList();
        if (published.Count > 0 || Flag(hostConfig?["PublishAllPorts"]))
        {
            var ports = published.Count > 0 ? string.Join(", ", published) : "all exposed ports (-P)";
            return $"'{name}' publishes host ports ({ports}); the old and the new container cannot both bind them." + recreate;
        }

        var networkMode = Text(hostConfig?["NetworkMode"]);
        if (networkMode is "host" or "none" || networkMode.StartsWith("container:", StringComparison.Ordinal))
        {
            return $"'{name}' uses --network {networkMode}; blue-green needs a user-defined network whose DNS moves clients to the new container." + recreate;
        }

        var networks = container["NetworkSettings"]?["Networks"] as JsonObject ?? [];
        foreach (var (network, endpoint) in networks)
        {
            var ipam = endpoint?["IPAMConfig"];
            var fixedAddresses = new[] { Text(ipam?["IPv4Address"]), Text(ipam?["IPv6Address"]) }.Where(a => a.Length > 0).ToList();
            if (fixedAddresses.Count > 0)
            {
                return $"'{name}' has a static address on {network} ({string.Join(", ", fixedAddresses)}); two containers cannot hold it at once." + recreate;
            }
        }

        if (Text(container["Config"]?["MacAddress"]).Length > 0)
        {
            return $"'{name}' has a fixed MAC address ({Text(container["Config"]?["MacAddress"])}); two containers cannot hold it at once." + recreate;
        }

        if (!networks.Any(n => n.Key is not ("bridge" or "host" or "none")))
        {
            return $"'{name}' is only on the default bridge network, where containers find each other by neither name nor alias; " +
                "connect it to a user-defined network (docker network create) for blue-green updates." + recreate;
        }

        return null;
    }

    private static IEnumerable<string> PublishedPorts(JsonNode? bindings)
    {
        if (bindings is not JsonObject ports)
        {
            yield break;
        }

        foreach (var (port, hosts) in ports)
        {
            if (hosts is JsonArray { Count: > 0 } list)
            {
                foreach (var host in list)
                {
                    var hostPort = Text(host?["HostPort"]);
                    yield return $"{(hostPort.Length > 0 ? hostPort : "random")}→{port}";
                }
            }
        }
    }
}
