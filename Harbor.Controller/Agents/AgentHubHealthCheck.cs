using Harbor.Controller.Inventory;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Harbor.Controller.Agents;

/// <summary>
/// Degraded while a known host's agent is not connected (that host can be neither seen nor updated);
/// the controller itself still works, so it is not a failure. No hosts yet is healthy.
/// </summary>
internal sealed class AgentHubHealthCheck(InventoryQueries inventory, ConnectedAgents agents) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<HostResponse> hosts;
        try
        {
            hosts = await inventory.ListHostsAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The database check reports the cause; here it only means the hosts cannot be listed.
            return HealthCheckResult.Degraded($"{agents.Count} agents connected; the known hosts cannot be read.", e);
        }

        var offline = hosts.Where(h => !h.Online).Select(h => h.Name).Order(StringComparer.Ordinal).ToList();
        var data = new Dictionary<string, object> { ["connected"] = agents.Count, ["hosts"] = hosts.Count, ["offline"] = offline.Count };
        return offline.Count == 0
            ? HealthCheckResult.Healthy($"{agents.Count} agents connected, no host offline", data)
            : HealthCheckResult.Degraded($"{offline.Count} of {hosts.Count} hosts offline: {string.Join(", ", offline)}", data: data);
    }
}
