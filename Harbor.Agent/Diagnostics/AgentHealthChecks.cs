using Harbor.Agent.Connection;
using Harbor.Agent.Inventory;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Harbor.Agent.Diagnostics;

/// <summary>Unhealthy while the Docker engine cannot be reached: the agent can neither see nor update anything.</summary>
internal sealed class DockerEngineHealthCheck(InventoryTracker tracker) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var engine = tracker.EngineStatus;
        return Task.FromResult(engine.Reachable
            ? HealthCheckResult.Healthy($"Docker {engine.EngineVersion}, Engine API {engine.EngineApiVersion}")
            : HealthCheckResult.Unhealthy(engine.Error));
    }
}

/// <summary>Degraded (not failed) while the controller is away: the agent keeps working and reconnects.</summary>
internal sealed class ControllerConnectionHealthCheck(ConnectionStatus status) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var current = status.Current;
        return Task.FromResult(current.Connected
            ? HealthCheckResult.Healthy($"Connected since {current.ConnectedSince:O}")
            : HealthCheckResult.Degraded(current.Reason));
    }
}
