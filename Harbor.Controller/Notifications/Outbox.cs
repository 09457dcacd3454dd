using Dapper;
using Harbor.Controller.Data;
using Microsoft.Data.Sqlite;

namespace Harbor.Controller.Notifications;

/// <summary>
/// The notification_outbox table: a message is stored before anything tries to send it, and
/// marked delivered only after the receiver acknowledged it, so a restart loses nothing and never
/// repeats an acknowledged message. The idempotency key (event key + channel) makes enqueueing the
/// same event for the same channel twice a no-op.
/// </summary>
internal sealed class Outbox(SqliteConnectionFactory connections, TimeProvider timeProvider)
{
    private const string Columns = "id, idempotency_key, channel_id, rule_id, event_type, host_id, title, body, data, occurred_at, status, attempts, next_attempt_at, last_error, created_at, delivered_at";

    /// <summary>Raised after a message was stored, so the dispatcher wakes up at once.</summary>
    public event Action? Enqueued;

    /// <summary>Stores a message unless its key is already there; returns whether it was new.</summary>
    public async Task<bool> EnqueueAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var added = await InsertAsync(connection, null, entry, cancellationToken);
        if (added)
        {
            Enqueued?.Invoke();
        }

        return added;
    }

    public async Task<bool> InsertAsync(SqliteConnection connection, SqliteTransaction? transaction, OutboxEntry entry, CancellationToken cancellationToken)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notification_outbox (id, idempotency_key, channel_id, rule_id, event_type, host_id, title, body, data, occurred_at,
                                             status, attempts, next_attempt_at, created_at)
            VALUES (@Id, @IdempotencyKey, @ChannelId, @RuleId, @EventType, @HostId, @Title, @Body, @Data, @OccurredAt, 'pending', 0, @Now, @Now)
            ON CONFLICT (idempotency_key) DO NOTHING
            """,
            new
            {
                Id = Guid.CreateVersion7().ToString("N"),
                entry.IdempotencyKey,
                entry.ChannelId,
                entry.RuleId,
                entry.EventType,
                entry.HostId,
                entry.Title,
                entry.Body,
                entry.Data,
                OccurredAt = DbTime.ToText(entry.OccurredAt),
                Now = now,
            },
            transaction,
            cancellationToken: cancellationToken)) == 1;
    }

    public void RaiseEnqueued() => Enqueued?.Invoke();

    /// <summary>Pending messages whose time has come, oldest first.</summary>
    public async Task<IReadOnlyList<OutboxRow>> DueAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM notification_outbox WHERE status = 'pending' AND next_attempt_at <= @now ORDER BY next_attempt_at, created_at LIMIT @limit",
            new { now = DbTime.ToText(timeProvider.GetUtcNow()), limit }, cancellationToken: cancellationToken))];
    }

    /// <summary>When the next pending message is due, or null when none is pending.</summary>
    public async Task<DateTimeOffset?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var next = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT MIN(next_attempt_at) FROM notification_outbox WHERE status = 'pending'", cancellationToken: cancellationToken));
        return DbTime.ParseOrNull(next);
    }

    public async Task MarkDeliveredAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notification_outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = @now, last_error = NULL WHERE id = @id",
            new { id, now = DbTime.ToText(timeProvider.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    /// <summary>Records a failed attempt: pending again at <paramref name="retryAt"/>, or dead when it is null.</summary>
    public async Task MarkFailedAsync(string id, string error, DateTimeOffset? retryAt, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE notification_outbox
            SET attempts = attempts + 1, last_error = @error,
                status = CASE WHEN @retryAt IS NULL THEN 'dead' ELSE 'pending' END,
                next_attempt_at = COALESCE(@retryAt, next_attempt_at)
            WHERE id = @id
            """,
            new { id, error, retryAt = DbTime.ToText(retryAt) }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<OutboxRow>> ListAsync(string status, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<OutboxRow>(new CommandDefinition(
            $"SELECT {Columns} FROM notification_outbox WHERE status = @status ORDER BY created_at DESC LIMIT @limit",
            new { status, limit }, cancellationToken: cancellationToken))];
    }

    /// <summary>Puts a dead letter back in the queue with a fresh set of attempts; false when there is no such dead letter.</summary>
    public async Task<bool> RetryAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE notification_outbox SET status = 'pending', attempts = 0, next_attempt_at = @now WHERE id = @id AND status = 'dead'",
            new { id, now = DbTime.ToText(timeProvider.GetUtcNow()) }, cancellationToken: cancellationToken));
        if (changed == 1)
        {
            Enqueued?.Invoke();
        }

        return changed == 1;
    }

    public async Task<bool> DeleteDeadAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM notification_outbox WHERE id = @id AND status = 'dead'", new { id }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Messages by status, for the outbox-depth gauge.</summary>
    public async Task<IReadOnlyDictionary<string, long>> CountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM notification_outbox GROUP BY status", cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.Status, r => r.Count);
    }

    /// <summary>Forgets delivered messages older than the retention; their keys cannot recur (event keys carry a boot id).</summary>
    public async Task<int> PruneDeliveredAsync(TimeSpan retention, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM notification_outbox WHERE status = 'delivered' AND delivered_at < @cutoff",
            new { cutoff = DbTime.ToText(timeProvider.GetUtcNow() - retention) }, cancellationToken: cancellationToken));
    }
}
