namespace Harbor.Agent.Docker;

/// <summary>One entry of the Docker events stream, reduced to what the agent acts on.</summary>
/// <param name="Type">container, image or network.</param>
/// <param name="Action">e.g. start, die, rename, "health_status: healthy", connect.</param>
/// <param name="ActorId">Container id, image id/reference or network id.</param>
/// <param name="Attributes">Actor attributes; for network events "container" names the container.</param>
internal sealed record EngineEvent(
    string Type,
    string Action,
    string ActorId,
    IReadOnlyDictionary<string, string> Attributes);
