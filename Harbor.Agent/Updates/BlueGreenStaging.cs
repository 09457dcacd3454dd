using System.Text.Json.Nodes;

namespace Harbor.Agent.Updates;

/// <summary>
/// Blue-green in two network stages. Until it is verified, the new container is on the same networks
/// as the old one (so it can reach what it depends on) but without the shared aliases, so no client is
/// sent to it. At the switch it is reconnected with the aliases — plus the original container name as an
/// alias, so clients that use the name keep resolving while the old container leaves and before the new
/// one is renamed.
/// </summary>
internal static class BlueGreenStaging
{
    /// <summary>The plan to create the new container with, and the endpoint settings per network it gets at the switch.</summary>
    public static (RecreatePlan Staged, IReadOnlyDictionary<string, JsonObject> AtSwitch) Stage(RecreatePlan plan, string name)
    {
        var body = (JsonObject)plan.CreateBody.DeepClone();
        var atSwitch = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        if (body["NetworkingConfig"]?["EndpointsConfig"] is JsonObject endpoints)
        {
            foreach (var (network, value) in endpoints)
            {
                if (value is JsonObject endpoint)
                {
                    Split(network, endpoint, name, atSwitch);
                }
            }
        }

        var later = plan.ConnectBeforeStart.Select(c =>
        {
            var endpoint = (JsonObject)c.Endpoint.DeepClone();
            Split(c.Network, endpoint, name, atSwitch);
            return new NetworkConnection(c.Network, endpoint);
        }).ToList();

        return (new RecreatePlan(body, later, plan.Notes), atSwitch);
    }

    private static void Split(string network, JsonObject endpoint, string name, Dictionary<string, JsonObject> atSwitch)
    {
        if (network is "bridge" or "host" or "none")
        {
            // The default bridge has no service discovery (and refuses aliases): nothing to switch there.
            return;
        }

        var final = (JsonObject)endpoint.DeepClone();
        var aliases = EngineJson.Strings(final["Aliases"]).Append(name).Distinct(StringComparer.Ordinal);
        final["Aliases"] = new JsonArray([.. aliases.Select(a => (JsonNode?)a)]);
        atSwitch[network] = final;
        endpoint.Remove("Aliases");
    }
}
