namespace Harbor.Controller.Inventory;

/// <summary>One change to the stored inventory, applied in order by <see cref="InventoryWriter"/>.</summary>
internal abstract record InventoryWrite(string HostId);

internal sealed record HostConnectedWrite(HostRow Host) : InventoryWrite(Host.Id);

internal sealed record HostSeenWrite(string HostId, DateTimeOffset At) : InventoryWrite(HostId);

internal sealed record HostDisconnectedWrite(string HostId, DateTimeOffset At) : InventoryWrite(HostId);

internal sealed record EngineStatusWrite(string HostId, bool Reachable, string? Error, string? EngineVersion, string? EngineApiVersion, DateTimeOffset At) : InventoryWrite(HostId);

/// <summary>Replaces the host's whole inventory: containers not in the list are deleted.</summary>
internal sealed record SnapshotWrite(string HostId, IReadOnlyList<ContainerRow> Containers, DateTimeOffset At) : InventoryWrite(HostId);

internal sealed record DeltaWrite(string HostId, IReadOnlyList<ContainerRow> Upserted, IReadOnlyList<string> RemovedIds, DateTimeOffset At) : InventoryWrite(HostId);

/// <summary>Completes once every write queued before it is committed.</summary>
internal sealed record FlushWrite(TaskCompletionSource Done) : InventoryWrite("");
