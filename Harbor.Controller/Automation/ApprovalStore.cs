using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Automation;

/// <summary>The approvals table. State changes are conditional on the current state, so two deciders never both win.</summary>
internal sealed class ApprovalStore(SqliteConnectionFactory connections)
{
    /// <summary>Creates a pending approval unless this container already had one for this digest; returns the new one or null.</summary>
    public async Task<ApprovalRow?> CreateAsync(ApprovalRow row, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO approvals (id, host_id, container_id, container_name, image, target_digest, state, created_at, expires_at)
            VALUES (@Id, @HostId, @ContainerId, @ContainerName, @Image, @TargetDigest, 'pending', @CreatedAt, @ExpiresAt)
            ON CONFLICT (host_id, container_name, target_digest) DO NOTHING
            """,
            row,
            cancellationToken: cancellationToken));
        return inserted > 0 ? row : null;
    }

    public async Task<ApprovalRow?> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApprovalRow>(new CommandDefinition(
            "SELECT * FROM approvals WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ApprovalRow>> ListAsync(string? state, string? hostId, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<ApprovalRow>(new CommandDefinition(
            """
            SELECT * FROM approvals WHERE (@state IS NULL OR state = @state) AND (@hostId IS NULL OR host_id = @hostId)
            ORDER BY created_at DESC, id DESC LIMIT @limit
            """,
            new { state, hostId, limit },
            cancellationToken: cancellationToken))];
    }

    /// <summary>Moves a pending approval to <paramref name="state"/>; false when it was no longer pending.</summary>
    public async Task<bool> DecideAsync(string id, string state, string decidedBy, string? comment, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE approvals SET state = @state, decided_by = @decidedBy, comment = @comment, decided_at = @at
            WHERE id = @id AND state = 'pending'
            """,
            new { id, state, decidedBy, comment, at = DbTime.ToText(at) },
            cancellationToken: cancellationToken)) > 0;
    }

    /// <summary>Undoes an approval whose job could not be started, so the user can try again or reject it.</summary>
    public async Task ReopenAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE approvals SET state = 'pending', decided_by = NULL, comment = NULL, decided_at = NULL WHERE id = @id AND state = 'approved' AND job_id IS NULL",
            new { id }, cancellationToken: cancellationToken));
    }

    public async Task SetJobAsync(string id, string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE approvals SET job_id = @jobId WHERE id = @id", new { id, jobId }, cancellationToken: cancellationToken));
    }

    /// <summary>Expires every pending approval past its time and returns them.</summary>
    public async Task<IReadOnlyList<ApprovalRow>> ExpireAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<ApprovalRow>(new CommandDefinition(
            """
            UPDATE approvals SET state = 'expired', decided_at = @now, decided_by = 'expiry'
            WHERE state = 'pending' AND expires_at <= @now
            RETURNING *
            """,
            new { now = DbTime.ToText(now) },
            cancellationToken: cancellationToken))];
    }
}
