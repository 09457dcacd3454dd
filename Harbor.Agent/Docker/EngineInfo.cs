namespace Harbor.Agent.Docker;

/// <summary>What the agent learned about its engine when it connected.</summary>
internal sealed record EngineInfo(
    string EngineVersion,
    string ApiVersion,
    string Os,
    string Architecture);
