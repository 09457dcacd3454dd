using Harbor.Protos.Agent.V1;

namespace Harbor.Agent.Inventory;

/// <summary>What the inventory needs from an image: where it came from and what it runs on.</summary>
internal sealed record ImageInfo(IReadOnlyList<string> RepoDigests, Platform Platform);
