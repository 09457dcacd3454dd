using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Harbor.Controller.Registries;

/// <summary>
/// Degraded, never failed, while a registry does not answer properly: Harbor keeps serving its API and
/// running updates by digest; only checks against that registry wait (docs/observability.md).
/// </summary>
internal sealed class RegistryHealthCheck(RegistryReachability reachability) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var troubled = reachability.InTrouble();
        if (troubled.Count == 0)
        {
            return Task.FromResult(HealthCheckResult.Healthy($"{reachability.Count} registries answered their last request"));
        }

        var data = troubled.ToDictionary(t => t.Registry, t => (object)$"{t.State.Outcome} at {t.State.At:O}");
        return Task.FromResult(HealthCheckResult.Degraded(
            $"Registries not answering properly: {string.Join(", ", troubled.Select(t => $"{t.Registry} ({t.State.Outcome})"))}",
            data: data));
    }
}
