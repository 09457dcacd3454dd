namespace Harbor.Controller.Policy;

/// <summary>What policy resolution needs to know about a container and its host.</summary>
internal sealed record ContainerFacts(
    string HostId,
    string HostName,
    string? HostGroup,
    string Name,
    string Image,
    string? ComposeProject,
    IReadOnlyDictionary<string, string> Labels);
