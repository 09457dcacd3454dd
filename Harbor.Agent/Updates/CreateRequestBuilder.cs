using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using static Harbor.Agent.Updates.EngineJson;

namespace Harbor.Agent.Updates;

/// <summary>
/// Builds the create request for the new container from the old container's inspect, so that every
/// setting the user gave is kept and the new image's defaults apply to everything else.
/// <para>
/// Docker's inspect mixes the two: the container's Config is the image's config merged with the user's.
/// Watchtower's rule separates them by comparing with the OLD image: whatever equals the old image's
/// default came from the image and is dropped, so the new image's default takes its place. This class
/// applies that rule (env by entry, labels by key and value, entrypoint/cmd, working dir, user, exposed
/// ports, volumes, healthcheck, stop signal, shell) and fixes the places where Watchtower loses or breaks
/// settings: the hostname (only kept when the user set it, not the old short id), the old short-id network
/// alias, static addresses and MAC, links in the create format, networks the engine cannot take at create,
/// anonymous volumes (re-attached instead of replaced by empty ones) and Compose's image label.
/// </para>
/// Pure: no engine calls, so every rule is unit-tested from JSON.
/// </summary>
internal static partial class CreateRequestBuilder
{
    /// <summary>Engines from API 1.44 accept several networks and per-network MAC addresses at create.</summary>
    public static readonly Version MultipleNetworksAtCreate = new(1, 44);

    /// <param name="container">GET /containers/{id}/json of the old container.</param>
    /// <param name="oldImage">GET /images/{id}/json of the old container's image, or null when it no longer exists.</param>
    /// <param name="imageReference">What the new container's Config.Image should say (the tag, or repo@digest).</param>
    /// <param name="newImageId">The new image's id (sha256:…), for Compose's image label.</param>
    /// <param name="apiVersion">The Engine API version the request will be sent with.</param>
    public static RecreatePlan Build(JsonObject container, JsonObject? oldImage, string imageReference, string newImageId, Version apiVersion)
    {
        ArgumentNullException.ThrowIfNull(container);
        var notes = new List<string>();
        var config = container["Config"] as JsonObject ?? [];
        var hostConfig = (container["HostConfig"] as JsonObject)?.DeepClone().AsObject() ?? [];
        var containerId = container["Id"]?.GetValue<string>() ?? "";
        var shortId = containerId.Length >= 12 ? containerId[..12] : containerId;

        // Start from every Config field the engine reported, so that fields this code does not know
        // (added by newer engines) are kept rather than lost.
        var body = config.DeepClone().AsObject();
        var imageConfig = oldImage?["Config"] as JsonObject;
        if (imageConfig is null)
        {
            notes.Add("The old image no longer exists, so Harbor cannot tell image defaults from settings you made: " +
                "every setting is kept as if you made it, and the new image's defaults for them do not apply.");
        }
        else
        {
            DropImageDefaults(body, imageConfig, hostConfig);
        }

        body["Image"] = imageReference;
        body.Remove("ArgsEscaped");
        body.Remove("OnBuild");

        var networkMode = hostConfig["NetworkMode"]?.GetValue<string>() ?? "";
        var sharesNamespace = networkMode == "host" || networkMode.StartsWith("container:", StringComparison.Ordinal);
        var hostname = body["Hostname"]?.GetValue<string>() ?? "";
        if (hostname.Length == 0 || hostname == shortId || sharesNamespace)
        {
            // Docker sets the hostname to the short id (or the namespace owner's): that is not a setting to copy.
            body.Remove("Hostname");
        }

        if (body["Domainname"]?.GetValue<string>() is "")
        {
            body.Remove("Domainname");
        }

        var macAddress = body["MacAddress"]?.GetValue<string>() ?? "";
        var macOnEndpoint = macAddress.Length > 0 && apiVersion >= MultipleNetworksAtCreate;
        if (macAddress.Length == 0 || macOnEndpoint)
        {
            // Below 1.44 a user MAC lives in Config (applied to the container's own network); from 1.44 it
            // belongs to the endpoint and the Config field is deprecated.
            body.Remove("MacAddress");
        }

        if (body["Labels"] is JsonObject labels && labels.ContainsKey(HarborLabels.ComposeProject))
        {
            labels[HarborLabels.ComposeImage] = newImageId;
        }

        RewriteLinks(hostConfig);
        notes.AddRange(KeepAnonymousVolumes(container, body, imageConfig, hostConfig));
        body["HostConfig"] = hostConfig;

        var (endpoints, connectLater) = PlanNetworks(container, networkMode, shortId, macOnEndpoint ? macAddress : null, apiVersion);
        if (endpoints is not null)
        {
            body["NetworkingConfig"] = new JsonObject { ["EndpointsConfig"] = endpoints };
        }

        return new RecreatePlan(body, connectLater, notes);
    }

    private static void DropImageDefaults(JsonObject body, JsonObject image, JsonObject hostConfig)
    {
        // Env by entry: the image's NAME=value entries go, the user's (including overrides of image defaults) stay.
        if (body["Env"] is JsonArray env)
        {
            var imageEnv = Strings(image["Env"]).ToHashSet(StringComparer.Ordinal);
            body["Env"] = new JsonArray([.. Strings(env).Where(e => !imageEnv.Contains(e)).Select(e => (JsonNode?)e)]);
        }

        // Labels by key and value: a label the user overrode keeps the user's value.
        if (body["Labels"] is JsonObject labels && image["Labels"] is JsonObject imageLabels)
        {
            foreach (var (key, value) in imageLabels)
            {
                if (labels[key] is { } mine && JsonNode.DeepEquals(mine, value))
                {
                    labels.Remove(key);
                }
            }
        }

        // A user entrypoint stops Docker from inheriting the image's Cmd, so the Cmd is the user's too;
        // only with the image's entrypoint can an equal Cmd be the image's default.
        var entrypointFromImage = SameOrBothEmpty(body["Entrypoint"], image["Entrypoint"]);
        if (entrypointFromImage)
        {
            body.Remove("Entrypoint");
            if (SameOrBothEmpty(body["Cmd"], image["Cmd"]))
            {
                body.Remove("Cmd");
            }
        }

        foreach (var field in (string[])["WorkingDir", "User", "StopSignal", "Shell"])
        {
            if (SameOrBothEmpty(body[field], image[field]))
            {
                body.Remove(field);
            }
        }

        if (body["Healthcheck"] is { } healthcheck && image["Healthcheck"] is { } imageHealthcheck
            && JsonNode.DeepEquals(healthcheck, imageHealthcheck))
        {
            body.Remove("Healthcheck");
        }

        // Exposed ports: the image's go, unless published (a published port stays exposed even if the new image drops it).
        if (body["ExposedPorts"] is JsonObject exposed && image["ExposedPorts"] is JsonObject imageExposed)
        {
            var published = hostConfig["PortBindings"] as JsonObject;
            foreach (var (port, _) in imageExposed)
            {
                if (published?.ContainsKey(port) != true)
                {
                    exposed.Remove(port);
                }
            }
        }

        if (body["Volumes"] is JsonObject volumes && image["Volumes"] is JsonObject imageVolumes)
        {
            foreach (var (path, _) in imageVolumes)
            {
                volumes.Remove(path);
            }
        }
    }

    /// <summary>
    /// Inspect shows legacy links as <c>/target:/this-container/alias</c>; create wants <c>target:alias</c>.
    /// Copying the inspect form verbatim (Watchtower) makes the create fail.
    /// </summary>
    internal static void RewriteLinks(JsonObject hostConfig)
    {
        if (hostConfig["Links"] is not JsonArray links || links.Count == 0)
        {
            return;
        }

        hostConfig["Links"] = new JsonArray([.. Strings(links).Select(link =>
        {
            var colon = link.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return (JsonNode?)link.TrimStart('/');
            }

            var target = link[..colon].TrimStart('/');
            var alias = link[(colon + 1)..];
            return (JsonNode?)$"{target}:{alias[(alias.LastIndexOf('/') + 1)..]}";
        })]);
    }

    /// <summary>
    /// An anonymous volume (the image's VOLUME, or <c>-v /path</c>) belongs to the old container; a new
    /// container would get a new, empty one and the data would silently stay behind. Re-attach each by name.
    /// </summary>
    private static IEnumerable<string> KeepAnonymousVolumes(JsonObject container, JsonObject body, JsonObject? imageConfig, JsonObject hostConfig)
    {
        if (container["Mounts"] is not JsonArray mounts)
        {
            yield break;
        }

        var declared = new HashSet<string>(StringComparer.Ordinal);
        declared.UnionWith(Keys(imageConfig?["Volumes"]));
        declared.UnionWith(Keys(container["Config"]?["Volumes"]));
        var covered = new HashSet<string>(StringComparer.Ordinal);
        foreach (var bind in Strings(hostConfig["Binds"]))
        {
            var parts = bind.Split(':');
            if (parts.Length >= 2)
            {
                covered.Add(parts[1]);
            }
        }

        foreach (var mount in (hostConfig["Mounts"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (mount["Target"]?.GetValue<string>() is not { } target)
            {
                continue;
            }

            covered.Add(target);
            // --mount type=volume without a source is anonymous too: name the volume it got.
            if (mount["Type"]?.GetValue<string>() == "volume" && Text(mount["Source"]).Length == 0
                && mounts.OfType<JsonObject>().FirstOrDefault(m => Text(m["Destination"]) == target && Text(m["Type"]) == "volume") is { } used)
            {
                mount["Source"] = Text(used["Name"]);
                yield return $"The anonymous volume at {target} is re-attached to the new container.";
            }
        }

        var fromOthers = Strings(hostConfig["VolumesFrom"]).Any();
        var existing = hostConfig["Binds"] as JsonArray;
        var binds = existing ?? [];
        foreach (var mount in mounts.OfType<JsonObject>())
        {
            var name = mount["Name"]?.GetValue<string>() ?? "";
            var destination = mount["Destination"]?.GetValue<string>() ?? "";
            if (mount["Type"]?.GetValue<string>() != "volume" || !AnonymousVolumeName().IsMatch(name)
                || !declared.Contains(destination) || covered.Contains(destination))
            {
                continue;
            }

            if (fromOthers)
            {
                // With --volumes-from the same path may come from another container; re-attaching could clash.
                yield return $"The anonymous volume at {destination} is not re-attached because the container uses --volumes-from.";
                continue;
            }

            var readOnly = mount["RW"]?.GetValue<bool>() == false;
            binds.Add((JsonNode?)$"{name}:{destination}{(readOnly ? ":ro" : "")}");
            yield return $"The anonymous volume at {destination} is re-attached to the new container.";
        }

        if (existing is null && binds.Count > 0)
        {
            hostConfig["Binds"] = binds;
        }
    }

    private static (JsonObject? AtCreate, List<NetworkConnection> Later) PlanNetworks(
        JsonObject container, string networkMode, string shortId, string? endpointMac, Version apiVersion)
    {
        var later = new List<NetworkConnection>();
        if (networkMode is "host" or "none" || networkMode.StartsWith("container:", StringComparison.Ordinal)
            || container["NetworkSettings"]?["Networks"] is not JsonObject networks)
        {
            return (null, later);
        }

        var primary = FindPrimary(networks, networkMode);
        var atCreate = new JsonObject();
        foreach (var (name, value) in networks)
        {
            if (value is not JsonObject endpoint)
            {
                continue;
            }

            var settings = EndpointSettings(endpoint, shortId);
            if (name == primary && endpointMac is not null)
            {
                settings["MacAddress"] = endpointMac;
            }

            if (name == primary || apiVersion >= MultipleNetworksAtCreate)
            {
                atCreate[name] = settings;
            }
            else
            {
                later.Add(new NetworkConnection(name, settings));
            }
        }

        return (atCreate, later);
    }

    /// <summary>The network HostConfig.NetworkMode names (by name, id or short id; "default" is the bridge).</summary>
    private static string? FindPrimary(JsonObject networks, string networkMode)
    {
        var wanted = networkMode is "default" or "" ? "bridge" : networkMode;
        if (networks.ContainsKey(wanted))
        {
            return wanted;
        }

        foreach (var (name, value) in networks)
        {
            if (value?["NetworkID"]?.GetValue<string>() is { Length: > 0 } id && id.StartsWith(wanted, StringComparison.Ordinal))
            {
                return name;
            }
        }

        // Unknown mode: the first network takes the create slot, the rest are connected.
        return networks.Select(n => n.Key).FirstOrDefault();
    }

    /// <summary>What the user can set per network: static addresses, aliases (minus the old short id), links, driver options.</summary>
    internal static JsonObject EndpointSettings(JsonObject endpoint, string shortId)
    {
        var settings = new JsonObject();
        if (endpoint["IPAMConfig"] is JsonObject ipam
            && (Text(ipam["IPv4Address"]).Length > 0 || Text(ipam["IPv6Address"]).Length > 0 || Strings(ipam["LinkLocalIPs"]).Any()))
        {
            settings["IPAMConfig"] = ipam.DeepClone();
        }

        var aliases = Strings(endpoint["Aliases"]).Where(a => a != shortId).Distinct(StringComparer.Ordinal).ToList();
        if (aliases.Count > 0)
        {
            settings["Aliases"] = new JsonArray([.. aliases.Select(a => (JsonNode?)a)]);
        }

        if (Strings(endpoint["Links"]).Any())
        {
            settings["Links"] = endpoint["Links"]!.DeepClone();
        }

        if (endpoint["DriverOpts"] is JsonObject { Count: > 0 } driverOptions)
        {
            settings["DriverOpts"] = driverOptions.DeepClone();
        }

        return settings;
    }

    private static bool SameOrBothEmpty(JsonNode? a, JsonNode? b) =>
        (IsEmpty(a) && IsEmpty(b)) || JsonNode.DeepEquals(a, b);

    private static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        JsonObject obj => obj.Count == 0,
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length == 0,
        _ => false,
    };

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex AnonymousVolumeName();
}
