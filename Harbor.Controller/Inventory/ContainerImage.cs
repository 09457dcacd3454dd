namespace Harbor.Controller.Inventory;

/// <summary>What update detection needs to know about one container: its image and where it runs.</summary>
internal sealed record ContainerImage(
    string HostId,
    string ContainerId,
    string ContainerName,
    string Image,
    string ImageId,
    IReadOnlyList<string> RepoDigests,
    string? Platform,
    string HostOs,
    string HostArchitecture);
