using System.Text.Json.Nodes;
using static Harbor.Agent.Updates.EngineJson;

namespace Harbor.Agent.Updates;

/// <summary>
/// The containers the agent will not update, decided before anything is touched, each with a reason
/// the user can act on. Pure: the caller supplies the inspects.
/// </summary>
internal static class UpdateRefusals
{
    /// <summary>Null when the container can be updated, else why not.</summary>
    /// <param name="container">Inspect of the container to update.</param>
    /// <param name="others">Inspects of every other container on the host (for namespace and link dependents).</param>
    /// <param name="agentContainerId">The container the agent runs in, if any.</param>
    public static string? Check(JsonObject container, IEnumerable<JsonObject> others, string? agentContainerId)
    {
        ArgumentNullException.ThrowIfNull(container);
        var id = Text(container["Id"]);
        var name = Name(container);
        var labels = container["Config"]?["Labels"] as JsonObject;

        if (id == agentContainerId || Text(labels?[HarborLabels.Role]) == "agent")
        {
            return $"'{name}' is the Harbor agent's own container; the agent cannot replace itself while it runs the job. " +
                "Update the agent with its packaging's self-update procedure.";
        }

        if (Text(labels?[HarborLabels.Role]) == "controller")
        {
            return $"'{name}' is the Harbor controller's container; replacing it would cut off the controller that records the job. " +
                "Update the controller with its packaging's self-update procedure.";
        }

        if (Text(labels?[HarborLabels.SwarmService]).Length > 0)
        {
            return $"'{name}' is a task of a Swarm service; Swarm owns it and would replace it. Update the service with docker service update.";
        }

        if (Flag(container["HostConfig"]?["AutoRemove"]))
        {
            return $"'{name}' was started with --rm: stopping it deletes it, so Harbor could not keep it to roll back to. " +
                "Recreate it without --rm to let Harbor update it.";
        }

        var status = Text(container["State"]?["Status"]);
        if (status is "paused")
        {
            return $"'{name}' is paused; unpause it (docker unpause) before updating it.";
        }

        if (status is "removing" or "dead")
        {
            return $"'{name}' is {status}; there is nothing Harbor can safely replace.";
        }

        var dependents = new List<string>();
        foreach (var other in others)
        {
            var otherId = Text(other["Id"]);
            if (otherId == id)
            {
                continue;
            }

            var otherName = Name(other);
            var host = other["HostConfig"];
            foreach (var mode in (string[])["NetworkMode", "IpcMode", "PidMode"])
            {
                var value = Text(host?[mode]);
                if (value == "container:" + id || value == "container:" + name)
                {
                    dependents.Add($"{otherName} ({ModeFlag(mode)} container:{name})");
                }
            }

            // Legacy links (--link name:alias on the default bridge) bind to this container by name; a rename
            // carries them to the old container, which is then removed.
            if (host?["Links"] is JsonArray links && links.Any(l => Text(l).StartsWith($"/{name}:", StringComparison.Ordinal)))
            {
                dependents.Add($"{otherName} (--link {name})");
            }
        }

        return dependents.Count == 0
            ? null
            : $"Other containers depend on '{name}' by id: {string.Join(", ", dependents)}. They would lose it when it is replaced, " +
              "and Harbor does not recreate dependents yet. Update them together by hand, or connect them through a user-defined network instead.";
    }

    private static string ModeFlag(string mode) => mode switch
    {
        "NetworkMode" => "--network",
        "IpcMode" => "--ipc",
        _ => "--pid",
    };
}
