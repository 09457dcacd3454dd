using System.Text.Json;
using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Notifications;

/// <summary>
/// The notification_rules table. The router reads the rules for every event, so they are cached
/// in memory and the cache is dropped on every write.
/// </summary>
internal sealed class RuleStore(SqliteConnectionFactory connections, TimeProvider timeProvider)
{
    private volatile IReadOnlyList<NotificationRule>? cache;

    public async Task<IReadOnlyList<NotificationRule>> AllAsync(CancellationToken cancellationToken)
    {
        if (cache is { } cached)
        {
            return cached;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RuleRow>(new CommandDefinition(
            "SELECT r.*, c.enabled AS channel_enabled FROM notification_rules r JOIN notification_channels c ON c.id = r.channel_id ORDER BY r.name, r.id", cancellationToken: cancellationToken));
        var rules = rows.Select(ToRule).ToList();
        cache = rules;
        return rules;
    }

    public async Task<NotificationRule?> FindAsync(string id, CancellationToken cancellationToken) =>
        (await AllAsync(cancellationToken)).FirstOrDefault(r => r.Id == id);

    public async Task<(NotificationRule Rule, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)?> FindWithTimesAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RuleRow>(new CommandDefinition(
            "SELECT r.*, c.enabled AS channel_enabled FROM notification_rules r JOIN notification_channels c ON c.id = r.channel_id WHERE r.id = @id", new { id }, cancellationToken: cancellationToken));
        return row is null ? null : (ToRule(row), DbTime.Parse(row.CreatedAt), DbTime.Parse(row.UpdatedAt));
    }

    /// <summary>Inserts the rule or replaces the one with its id.</summary>
    public async Task SaveAsync(NotificationRule rule, CancellationToken cancellationToken)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        var parameters = new
        {
            rule.Id,
            rule.Name,
            rule.ChannelId,
            EventTypes = JsonSerializer.Serialize(rule.EventTypes),
            rule.HostId,
            rule.Project,
            Digest = rule.Digest ? 1 : 0,
            rule.TitleTemplate,
            rule.BodyTemplate,
            Enabled = rule.Enabled ? 1 : 0,
            Now = now,
        };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notification_rules (id, name, channel_id, event_types, host_id, project, digest, title_template, body_template, enabled, created_at, updated_at)
            VALUES (@Id, @Name, @ChannelId, @EventTypes, @HostId, @Project, @Digest, @TitleTemplate, @BodyTemplate, @Enabled, @Now, @Now)
            ON CONFLICT (id) DO UPDATE SET
                name = excluded.name, channel_id = excluded.channel_id, event_types = excluded.event_types, host_id = excluded.host_id,
                project = excluded.project, digest = excluded.digest, title_template = excluded.title_template,
                body_template = excluded.body_template, enabled = excluded.enabled, updated_at = excluded.updated_at
            """,
            parameters,
            cancellationToken: cancellationToken));
        cache = null;
    }

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM notification_rules WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        cache = null;
        return deleted == 1;
    }

    /// <summary>Rules go with their channel (ON DELETE CASCADE) and follow its enabled flag; the cache must forget them after a channel write.</summary>
    public void Forget() => cache = null;

    private static NotificationRule ToRule(RuleRow row) => new(
        row.Id,
        row.Name,
        row.ChannelId,
        JsonSerializer.Deserialize<List<string>>(row.EventTypes) ?? [],
        row.HostId,
        row.Project,
        row.Digest != 0,
        row.TitleTemplate,
        row.BodyTemplate,
        row.Enabled != 0,
        row.ChannelEnabled != 0);
}
