using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Automation;

/// <summary>The digest_sightings and automation_decisions tables.</summary>
internal sealed class AutomationStore(SqliteConnectionFactory connections)
{
    /// <summary>Records that the container sees <paramref name="digest"/> (first time only) and returns when it was first seen.</summary>
    public async Task<DateTimeOffset> SightAsync(string hostId, string containerName, string digest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var firstSeen = await connection.ExecuteScalarAsync<string>(new CommandDefinition(
            """
            INSERT INTO digest_sightings (host_id, container_name, digest, first_seen_at) VALUES (@hostId, @containerName, @digest, @now)
            ON CONFLICT DO UPDATE SET first_seen_at = first_seen_at
            RETURNING first_seen_at
            """,
            new { hostId, containerName, digest, now = DbTime.ToText(now) },
            cancellationToken: cancellationToken));
        return DbTime.Parse(firstSeen!);
    }

    /// <summary>Every recorded first sighting (one read per pass instead of a write per container).</summary>
    public async Task<Dictionary<(string HostId, string Name, string Digest), DateTimeOffset>> SightingsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string HostId, string ContainerName, string Digest, string FirstSeenAt)>(new CommandDefinition(
            "SELECT host_id, container_name, digest, first_seen_at FROM digest_sightings", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => (r.HostId, r.ContainerName, r.Digest), r => DbTime.Parse(r.FirstSeenAt));
    }

    public async Task<IReadOnlyDictionary<(string HostId, string Name), DecisionRow>> DecisionsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<DecisionRow>(new CommandDefinition("SELECT * FROM automation_decisions", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => (r.HostId, r.ContainerName));
    }

    public async Task<IReadOnlyList<DecisionRow>> ListDecisionsAsync(string? hostId, string? action, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<DecisionRow>(new CommandDefinition(
            """
            SELECT * FROM automation_decisions
            WHERE (@hostId IS NULL OR host_id = @hostId) AND (@action IS NULL OR action = @action)
            ORDER BY host_id, container_name
            """,
            new { hostId, action },
            cancellationToken: cancellationToken))];
    }

    public async Task SaveDecisionAsync(DecisionRow row, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO automation_decisions (host_id, container_name, container_id, digest, mode, action, reason, not_before, decided_at, job_id, last_update_at, notified_digest)
            VALUES (@HostId, @ContainerName, @ContainerId, @Digest, @Mode, @Action, @Reason, @NotBefore, @DecidedAt, @JobId, @LastUpdateAt, @NotifiedDigest)
            ON CONFLICT (host_id, container_name) DO UPDATE SET
                container_id = excluded.container_id, digest = excluded.digest, mode = excluded.mode, action = excluded.action,
                reason = excluded.reason, not_before = excluded.not_before, decided_at = excluded.decided_at, job_id = excluded.job_id,
                last_update_at = excluded.last_update_at, notified_digest = excluded.notified_digest
            """,
            row,
            cancellationToken: cancellationToken));
    }
}
