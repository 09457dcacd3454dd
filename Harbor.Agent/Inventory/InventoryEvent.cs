using Harbor.Protos.Agent.V1;
using ProtoContainer = Harbor.Protos.Agent.V1.Container;

namespace Harbor.Agent.Inventory;

/// <summary>What an inventory subscriber receives, in order.</summary>
internal abstract record InventoryEvent;

/// <summary>Containers created/changed (full state of each) and containers removed.</summary>
internal sealed record ContainersChanged(IReadOnlyList<ProtoContainer> Upserted, IReadOnlyList<string> RemovedIds) : InventoryEvent;

/// <summary>The engine became reachable or unreachable.</summary>
internal sealed record EngineStatusChanged(EngineStatus Status) : InventoryEvent;

/// <summary>The controller asked for a fresh snapshot; the subscriber should re-subscribe.</summary>
internal sealed record ResyncRequested(string Reason) : InventoryEvent;
