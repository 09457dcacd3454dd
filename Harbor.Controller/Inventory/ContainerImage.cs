namespace Harbor.Controller.Inventory;

/// <summary>What update detection needs to know about one container: its image, where it runs, and what its policy is resolved from.</summary>
internal sealed record ContainerImage(
    string HostId,
    string ContainerId,
    string ContainerName,
    string Image,
    string ImageId,
    IReadOnlyList<string> RepoDigests,
    string? Platform,
    string HostOs,
    string HostArchitecture,
    string HostName = "",
    string? ComposeProject = null,
    IReadOnlyDictionary<string, string>? Labels = null);
