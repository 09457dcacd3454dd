using Dapper;
using Harbor.Controller.Agents;
using Harbor.Controller.Checks;
using Harbor.Controller.Data;
using Harbor.Controller.Updates;
using Prometheus;

namespace Harbor.Controller.Diagnostics;

/// <summary>Fills the gauges of what is in the database (containers by state and by update status, unfinished jobs) at scrape time instead of on every change.</summary>
internal sealed class ContainerCountsCollector(SqliteConnectionFactory connections, ConnectedAgents agents, IHostApplicationLifetime lifetime, ILogger<ContainerCountsCollector> logger)
{
    private readonly HashSet<(string Host, string State)> published = [];

    public void Register(CollectorRegistry registry) => registry.AddBeforeCollectCallback(CollectAsync);

    private async Task CollectAsync(CancellationToken cancellationToken)
    {
        // The metrics registry is process-wide and outlives this host (tests run several): only a host that
        // started and is not stopping publishes; one that failed to start never fires ApplicationStarted.
        if (!lifetime.ApplicationStarted.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
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

            var hosts = (await connection.QueryAsync<(string Id, string Name)>(new CommandDefinition(
                "SELECT id, name FROM hosts", cancellationToken: cancellationToken))).ToList();
            foreach (var labels in ControllerMetrics.HostOnline.GetAllLabelValues().ToList())
            {
                ControllerMetrics.HostOnline.RemoveLabelled(labels);
            }

            foreach (var (id, name) in hosts)
            {
                ControllerMetrics.HostOnline.WithLabels(name).Set(agents.IsOnline(id) ? 1 : 0);
            }

            // Every status is published (0 when none), so a dashboard shows "0 updates available", not "no data".
            var statuses = (await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
                $"SELECT COALESCE(k.status, '{UpdateStatus.Unchecked}'), COUNT(*) FROM containers c LEFT JOIN container_checks k ON k.host_id = c.host_id AND k.container_id = c.id GROUP BY 1",
                cancellationToken: cancellationToken))).ToDictionary(r => r.Status, r => r.Count);
            foreach (var status in UpdateStatus.Filterable)
            {
                ControllerMetrics.ContainersByUpdateStatus.WithLabels(status).Set(statuses.GetValueOrDefault(status));
            }

            var active = (await connection.QueryAsync<(string State, long Count)>(new CommandDefinition(
                "SELECT state, COUNT(*) FROM update_jobs WHERE state <> 'finished' GROUP BY state",
                cancellationToken: cancellationToken))).ToDictionary(r => r.State, r => r.Count);
            foreach (var state in new[] { UpdateMapper.Pending, UpdateMapper.Sent, UpdateMapper.Running })
            {
                ControllerMetrics.UpdateJobsActive.WithLabels(state).Set(active.GetValueOrDefault(state));
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A scrape must not fail because one gauge could not be read.
            Log.MetricsCollectionFailed(logger, e);
        }
    }
}
