using Dapper;
using Harbor.Controller.Data;
using Prometheus;

namespace Harbor.Controller.Diagnostics;

/// <summary>Fills <c>harbor_containers</c> from the database at scrape time instead of on every inventory change.</summary>
internal sealed class ContainerCountsCollector(SqliteConnectionFactory connections, IHostApplicationLifetime lifetime, ILogger<ContainerCountsCollector> logger)
{
    private readonly HashSet<(string Host, string State)> published = [];

    public void Register(CollectorRegistry registry) => registry.AddBeforeCollectCallback(CollectAsync);

    private async Task CollectAsync(CancellationToken cancellationToken)
    {
        // The metrics registry is process-wide and outlives a stopped host (tests run several).
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            return;
        }

        try
        {
            await using var connection = await connections.OpenAsync(cancellationToken);
            var rows = (await connection.QueryAsync<(string Host, string State, long Count)>(new CommandDefinition(
                "SELECT h.name, c.state, COUNT(*) FROM containers c JOIN hosts h ON h.id = c.host_id GROUP BY h.name, c.state",
                cancellationToken: cancellationToken))).ToList();

            // Drop the series this collector published before whose host/state no longer exists. Only its
            // own: the metrics registry is process-wide, and test processes host several controllers.
            var current = rows.Select(r => (r.Host, r.State)).ToHashSet();
            lock (published)
            {
                foreach (var gone in published.Where(p => !current.Contains(p)).ToList())
                {
                    ControllerMetrics.Containers.RemoveLabelled(gone.Host, gone.State);
                    published.Remove(gone);
                }

                foreach (var (host, state, count) in rows)
                {
                    ControllerMetrics.Containers.WithLabels(host, state).Set(count);
                    published.Add((host, state));
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A scrape must not fail because one gauge could not be read.
            Log.MetricsCollectionFailed(logger, e);
        }
    }
}
