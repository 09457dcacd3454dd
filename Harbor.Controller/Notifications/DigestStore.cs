using System.Text.Json;
using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Notifications;

/// <summary>
/// Digest mode: a digest rule's events of one check run are kept in notification_digest_items
/// (so a restart in the middle of a run loses none) and become one outbox message when the run ends.
/// </summary>
internal sealed class DigestStore(SqliteConnectionFactory connections, Outbox outbox, TimeProvider timeProvider)
{
    public async Task AddAsync(NotificationRule rule, string checkRunId, NotificationEvent e, string line, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notification_digest_items (rule_id, check_run_id, event_key, event_type, line, host_id, created_at)
            VALUES (@ruleId, @checkRunId, @key, @type, @line, @hostId, @now)
            ON CONFLICT DO NOTHING
            """,
            new { ruleId = rule.Id, checkRunId, key = e.Key, type = e.Type, line, hostId = e.HostId, now = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken));
    }

    /// <summary>Turns the rule's items of the run into one outbox message (none when the run found nothing); returns whether one was queued.</summary>
    public async Task<bool> FlushAsync(NotificationRule rule, string checkRunId, NotificationEvent end, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = connection.BeginTransaction();
        var items = (await connection.QueryAsync<(string EventType, string Line, string? HostId)>(new CommandDefinition(
            "SELECT event_type, line, host_id FROM notification_digest_items WHERE rule_id = @ruleId AND check_run_id = @checkRunId ORDER BY rowid",
            new { ruleId = rule.Id, checkRunId }, transaction, cancellationToken: cancellationToken))).ToList();
        if (items.Count == 0)
        {
            return false;
        }

        var allUpdates = items.All(i => i.EventType == NotificationEventTypes.UpdateAvailable);
        var title = allUpdates
            ? (items.Count == 1 ? "1 update available" : $"{items.Count} updates available")
            : $"{items.Count} notifications from check run {checkRunId}";
        var hosts = items.Select(i => i.HostId).Distinct().ToList();
        var entry = new OutboxEntry(
            $"digest:{checkRunId}:{rule.Id}:{rule.ChannelId}",
            rule.ChannelId,
            rule.Id,
            NotificationEventTypes.Digest,
            hosts.Count == 1 ? hosts[0] : null,
            title,
            string.Join('\n', items.Select(i => "• " + i.Line)),
            JsonSerializer.Serialize(new { checkRunId, count = items.Count, items = items.Select(i => new { type = i.EventType, text = i.Line, hostId = i.HostId }) }, JsonSerializerOptions.Web),
            end.At);
        await outbox.InsertAsync(connection, transaction, entry, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM notification_digest_items WHERE rule_id = @ruleId AND check_run_id = @checkRunId",
            new { ruleId = rule.Id, checkRunId }, transaction, cancellationToken: cancellationToken));
        await transaction.CommitAsync(cancellationToken);
        outbox.RaiseEnqueued();
        return true;
    }
}
