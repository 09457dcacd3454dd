using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Automation;

/// <summary>The rollouts and rollout_jobs tables.</summary>
internal sealed class RolloutStore(SqliteConnectionFactory connections)
{
    /// <summary>The rollout of this digest of this reference, created at stage 0 if new.</summary>
    public async Task<RolloutRow> GetOrCreateAsync(string reference, string digest, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var at = DbTime.ToText(now);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO rollouts (id, reference, digest, stage, state, created_at, updated_at)
            VALUES (@id, @reference, @digest, 0, 'active', @at, @at)
            ON CONFLICT (reference, digest) DO NOTHING
            """,
            new { id = Guid.CreateVersion7().ToString("N"), reference, digest, at },
            cancellationToken: cancellationToken));
        return await connection.QuerySingleAsync<RolloutRow>(new CommandDefinition(
            "SELECT * FROM rollouts WHERE reference = @reference AND digest = @digest", new { reference, digest }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<RolloutRow>> ListAsync(string? state, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<RolloutRow>(new CommandDefinition(
            "SELECT * FROM rollouts WHERE (@state IS NULL OR state = @state) ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { state, limit }, cancellationToken: cancellationToken))];
    }

    public async Task<IReadOnlyList<RolloutRow>> UnfinishedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<RolloutRow>(new CommandDefinition(
            "SELECT * FROM rollouts WHERE state IN ('active', 'soaking')", cancellationToken: cancellationToken))];
    }

    public async Task SaveAsync(RolloutRow row, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE rollouts SET stage = @Stage, state = @State, soak_until = @SoakUntil, halted_reason = @HaltedReason,
                halted_job_id = @HaltedJobId, updated_at = @UpdatedAt
            WHERE id = @Id
            """,
            row,
            cancellationToken: cancellationToken));
    }

    public async Task AddJobAsync(string rolloutId, string jobId, long stage, string hostId, string containerName, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO rollout_jobs (rollout_id, job_id, stage, host_id, container_name) VALUES (@rolloutId, @jobId, @stage, @hostId, @containerName)",
            new { rolloutId, jobId, stage, hostId, containerName },
            cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<(string JobId, long Stage, string HostId, string ContainerName)>> JobsAsync(string rolloutId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<(string, long, string, string)>(new CommandDefinition(
            "SELECT job_id, stage, host_id, container_name FROM rollout_jobs WHERE rollout_id = @rolloutId",
            new { rolloutId }, cancellationToken: cancellationToken))];
    }
}
