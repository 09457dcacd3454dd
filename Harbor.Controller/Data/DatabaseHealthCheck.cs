using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Harbor.Controller.Data;

/// <summary>Healthy when the database file answers a query.</summary>
internal sealed class DatabaseHealthCheck(SqliteConnectionFactory connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var version = await MigrationRunner.CurrentVersionAsync(connection, cancellationToken);
            return HealthCheckResult.Healthy($"Schema version {version}");
        }
        catch (Exception e)
        {
            return HealthCheckResult.Unhealthy("The database cannot be read.", e);
        }
    }
}
