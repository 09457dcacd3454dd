using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Settings;

/// <summary>Key/value settings an admin changes at run time (table <c>settings</c>).</summary>
internal sealed class SettingsStore(SqliteConnectionFactory connections, TimeProvider timeProvider)
{
    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "SELECT value FROM settings WHERE key = @key", new { key }, cancellationToken: cancellationToken));
    }

    public async Task SetAsync(string key, string value, string? updatedBy, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO settings (key, value, updated_at, updated_by) VALUES (@key, @value, @now, @updatedBy)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """,
            new { key, value, now = DbTime.ToText(timeProvider.GetUtcNow()), updatedBy },
            cancellationToken: cancellationToken));
    }
}
