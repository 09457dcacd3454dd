namespace Harbor.Controller.Inventory;

/// <summary>A host group and the hosts in it.</summary>
internal sealed record HostGroupMembers(string Name, IReadOnlyList<string> HostIds);
