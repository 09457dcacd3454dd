using Dapper;
using Harbor.Controller.Agents;
using Harbor.Controller.Data;
using Harbor.Controller.Diagnostics;
using Harbor.Controller.Events;
using Harbor.Protos.Agent.V1;
using Microsoft.Data.Sqlite;

namespace Harbor.Controller.Inventory;

/// <summary>
/// Drains <see cref="InventoryWriteQueue"/> into SQLite, many writes per transaction: a burst of
/// Docker events from many hosts costs one commit, not one per event.
/// </summary>
internal sealed class InventoryWriter(
    InventoryWriteQueue queue,
    SqliteConnectionFactory connections,
    ConnectedAgents agents,
    EventHub events,
    TimeProvider timeProvider,
    ILogger<InventoryWriter> logger) : BackgroundService
{
    private const int MaxBatch = 512;
    private const int MaxAttempts = 4;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<InventoryWrite>(MaxBatch);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var write))
                {
                    batch.Add(write);
                }

                await CommitWithRetryAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: commit what is already queued so a restart starts from the latest state.
            batch.Clear();
            while (queue.Reader.TryRead(out var write))
            {
                batch.Add(write);
            }

            if (batch.Count > 0)
            {
                await CommitWithRetryAsync(batch, CancellationToken.None);
            }
        }
    }

    private async Task CommitWithRetryAsync(List<InventoryWrite> batch, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CommitAsync(batch, cancellationToken);
                PublishEvents(batch);
                break;
            }
            catch (SqliteException e) when (attempt < MaxAttempts)
            {
                Log.InventoryWriteRetry(logger, e, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt * attempt), timeProvider, cancellationToken);
            }
            catch (SqliteException e)
            {
                // The stored view of these hosts is now behind; ask their agents for a fresh snapshot
                // so the next successful write repairs it.
                var hosts = batch.Select(w => w.HostId).Where(h => h.Length > 0).Distinct().ToList();
                Log.InventoryWriteFailed(logger, e, hosts.Count);
                foreach (var host in hosts)
                {
                    if (agents.Find(host) is { } connection)
                    {
                        await connection.SendAsync(new ControllerMessage { ResyncRequest = new ResyncRequest { Reason = "The controller could not store the inventory." } })
                            .AsTask().ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    }
                }

                break;
            }
        }

        foreach (var flush in batch.OfType<FlushWrite>())
        {
            flush.Done.TrySetResult();
        }
    }

    /// <summary>After the commit, so that anyone reacting to an event reads the state it describes.</summary>
    private void PublishEvents(List<InventoryWrite> batch)
    {
        foreach (var write in batch)
        {
            switch (write)
            {
                case HostConnectedWrite w:
                    events.Publish(EventTypes.HostOnline, w.HostId, new { hostId = w.HostId, name = w.Host.Name });
                    break;
                case HostDisconnectedWrite w:
                    events.Publish(EventTypes.HostOffline, w.HostId, new { hostId = w.HostId });
                    break;
                case EngineStatusWrite w:
                    events.Publish(EventTypes.HostEngine, w.HostId, new { hostId = w.HostId, reachable = w.Reachable, error = w.Error });
                    break;
                case SnapshotWrite w:
                    events.Publish(EventTypes.InventorySnapshot, w.HostId, new { hostId = w.HostId, containers = w.Containers.Count });
                    break;
                case DeltaWrite w:
                    foreach (var container in w.Upserted)
                    {
                        events.Publish(EventTypes.ContainerChanged, w.HostId, new
                        {
                            hostId = w.HostId, id = container.Id, name = container.Name, image = container.Image,
                            state = container.State, health = container.Health,
                        });
                    }

                    foreach (var id in w.RemovedIds)
                    {
                        events.Publish(EventTypes.ContainerRemoved, w.HostId, new { hostId = w.HostId, id });
                    }

                    break;
            }
        }
    }

    private async Task CommitAsync(List<InventoryWrite> batch, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        foreach (var write in batch)
        {
            await ApplyAsync(connection, transaction, write);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ApplyAsync(SqliteConnection connection, SqliteTransaction transaction, InventoryWrite write)
    {
        switch (write)
        {
            case HostConnectedWrite w:
                await connection.ExecuteAsync(
                    """
                    INSERT INTO hosts (id, name, agent_version, os, architecture, engine_version, engine_api_version,
                                       engine_reachable, engine_error, capabilities, first_seen_at, last_seen_at, connected_at, disconnected_at)
                    VALUES (@Id, @Name, @AgentVersion, @Os, @Architecture, @EngineVersion, @EngineApiVersion,
                            @EngineReachable, @EngineError, @Capabilities, @FirstSeenAt, @LastSeenAt, @ConnectedAt, NULL)
                    ON CONFLICT (id) DO UPDATE SET
                        name = excluded.name, agent_version = excluded.agent_version, os = excluded.os,
                        architecture = excluded.architecture, engine_version = excluded.engine_version,
                        engine_api_version = excluded.engine_api_version, engine_reachable = excluded.engine_reachable,
                        engine_error = NULL, capabilities = excluded.capabilities, last_seen_at = excluded.last_seen_at,
                        connected_at = excluded.connected_at, disconnected_at = NULL
                    """,
                    w.Host,
                    transaction);
                break;

            case HostSeenWrite w:
                await connection.ExecuteAsync(
                    "UPDATE hosts SET last_seen_at = @At WHERE id = @HostId",
                    new { w.HostId, At = DbTime.ToText(w.At) },
                    transaction);
                break;

            case HostDisconnectedWrite w:
                await connection.ExecuteAsync(
                    "UPDATE hosts SET disconnected_at = @At WHERE id = @HostId",
                    new { w.HostId, At = DbTime.ToText(w.At) },
                    transaction);
                break;

            case EngineStatusWrite w:
                await connection.ExecuteAsync(
                    """
                    UPDATE hosts SET engine_reachable = @Reachable, engine_error = @Error,
                        engine_version = COALESCE(@EngineVersion, engine_version),
                        engine_api_version = COALESCE(@EngineApiVersion, engine_api_version),
                        last_seen_at = @At
                    WHERE id = @HostId
                    """,
                    new { w.HostId, Reachable = w.Reachable ? 1 : 0, w.Error, w.EngineVersion, w.EngineApiVersion, At = DbTime.ToText(w.At) },
                    transaction);
                break;

            case SnapshotWrite w:
                var existing = await connection.QueryAsync<string>(
                    "SELECT id FROM containers WHERE host_id = @HostId", new { w.HostId }, transaction);
                var reported = w.Containers.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
                var gone = existing.Where(id => !reported.Contains(id)).Select(id => new { w.HostId, Id = id }).ToList();
                await connection.ExecuteAsync("DELETE FROM containers WHERE host_id = @HostId AND id = @Id", gone, transaction);
                await connection.ExecuteAsync(UpsertContainerSql, w.Containers, transaction);
                break;

            case DeltaWrite w:
                await connection.ExecuteAsync(
                    "DELETE FROM containers WHERE host_id = @HostId AND id = @Id",
                    w.RemovedIds.Select(id => new { w.HostId, Id = id }),
                    transaction);
                await connection.ExecuteAsync(UpsertContainerSql, w.Upserted, transaction);
                break;

            case FlushWrite:
                break;
        }
    }

    private const string UpsertContainerSql =
        """
        INSERT INTO containers (host_id, id, name, image, image_id, state, health, created_at, started_at,
                                compose_project, compose_service, restart_count, exit_code, platform,
                                repo_digests, labels, networks, ports, updated_at)
        VALUES (@HostId, @Id, @Name, @Image, @ImageId, @State, @Health, @CreatedAt, @StartedAt,
                @ComposeProject, @ComposeService, @RestartCount, @ExitCode, @Platform,
                @RepoDigests, @Labels, @Networks, @Ports, @UpdatedAt)
        ON CONFLICT (host_id, id) DO UPDATE SET
            name = excluded.name, image = excluded.image, image_id = excluded.image_id, state = excluded.state,
            health = excluded.health, created_at = excluded.created_at, started_at = excluded.started_at,
            compose_project = excluded.compose_project, compose_service = excluded.compose_service,
            restart_count = excluded.restart_count, exit_code = excluded.exit_code, platform = excluded.platform,
            repo_digests = excluded.repo_digests, labels = excluded.labels, networks = excluded.networks,
            ports = excluded.ports, updated_at = excluded.updated_at
        """;
}
