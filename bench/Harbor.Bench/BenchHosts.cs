using Harbor.Controller.Inventory;
using Harbor.Protos.Agent.V1;

namespace Harbor.Bench;

/// <summary>Hosts for the in-process benchmarks: registered the way an agent's Hello registers them.</summary>
internal static class BenchHosts
{
    public static ValueTask ConnectAsync(InventoryService inventory, string hostId) =>
        inventory.HostConnectedAsync(new Hello
        {
            AgentId = hostId, AgentVersion = "0.1.0", HostName = hostId, Os = "linux", Architecture = "x86_64",
            EngineVersion = "27.0.0", EngineApiVersion = "1.47",
        }, DateTimeOffset.UtcNow, CancellationToken.None);
}
