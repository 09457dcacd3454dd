using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Notifications.Channels;
using Microsoft.AspNetCore.DataProtection;

namespace Harbor.Controller.Notifications;

/// <summary>
/// The notification_channels table. Secret settings are one JSON object encrypted with the same
/// Data Protection key ring as registry credentials (another purpose string, so neither can read the other's).
/// </summary>
internal sealed class ChannelStore(SqliteConnectionFactory connections, IDataProtectionProvider protection, TimeProvider timeProvider, ChannelCatalog catalog)
{
    public const string Purpose = "Harbor.Controller.Notifications.Channels.v1";

    private readonly IDataProtector protector = protection.CreateProtector(Purpose);

    /// <summary>Raised after a channel was created, changed or deleted (Home Assistant discovery follows channel changes).</summary>
    public event Action? Changed;

    public async Task<IReadOnlyList<ChannelRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<ChannelRow>(new CommandDefinition(
            "SELECT * FROM notification_channels ORDER BY name", cancellationToken: cancellationToken))];
    }

    public async Task<ChannelRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ChannelRow>(new CommandDefinition(
            "SELECT * FROM notification_channels WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Adds a channel; null when the name is taken (the caller answers 409).</summary>
    public async Task<ChannelRow?> CreateAsync(string name, string type, IReadOnlyDictionary<string, string> values, bool enabled, CancellationToken cancellationToken)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        var (settings, secrets) = Split(type, values);
        var row = new ChannelRow
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Name = name,
            Type = type,
            Settings = settings,
            ProtectedSecrets = protector.Protect(secrets),
            Enabled = enabled ? 1 : 0,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var connection = await connections.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO notification_channels (id, name, type, settings, protected_secrets, enabled, created_at, updated_at)
            VALUES (@Id, @Name, @Type, @Settings, @ProtectedSecrets, @Enabled, @CreatedAt, @UpdatedAt)
            ON CONFLICT (name) DO NOTHING
            """,
            row,
            cancellationToken: cancellationToken));
        if (inserted == 1)
        {
            Changed?.Invoke();
        }

        return inserted == 1 ? row : null;
    }

    /// <summary>Replaces name, settings and enabled; false when the name belongs to another channel.</summary>
    public async Task<bool> UpdateAsync(ChannelRow existing, string name, IReadOnlyDictionary<string, string> values, bool enabled, CancellationToken cancellationToken)
    {
        var (settings, secrets) = Split(existing.Type, values);
        await using var connection = await connections.OpenAsync(cancellationToken);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE notification_channels
                SET name = @name, settings = @settings, protected_secrets = @protectedSecrets, enabled = @enabled, updated_at = @now
                WHERE id = @id
                """,
                new { id = existing.Id, name, settings, protectedSecrets = protector.Protect(secrets), enabled = enabled ? 1 : 0, now = DbTime.ToText(timeProvider.GetUtcNow()) },
                cancellationToken: cancellationToken));
            Changed?.Invoke();
            return true;
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteExtendedErrorCode == 2067)
        {
            // SQLITE_CONSTRAINT_UNIQUE on name.
            return false;
        }
    }

    /// <summary>Deletes a channel and its rules; queued messages become dead letters when their turn comes.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var deleted = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM notification_channels WHERE id = @id", new { id }, cancellationToken: cancellationToken)) == 1;
        if (deleted)
        {
            Changed?.Invoke();
        }

        return deleted;
    }

    /// <summary>Every setting, secrets decrypted: only for a delivery, never for the API.</summary>
    public ChannelSettings Decrypt(ChannelRow row)
    {
        var values = JsonSerializer.Deserialize<Dictionary<string, string>>(row.Settings) ?? [];
        try
        {
            foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(protector.Unprotect(row.ProtectedSecrets)) ?? [])
            {
                values[name] = value;
            }
        }
        catch (CryptographicException e)
        {
            throw new ChannelSecretsLostException($"The secrets of channel '{row.Name}' cannot be decrypted (was the controller's keys directory lost?); enter them again with PUT /api/v1/notifications/channels/{row.Id}.", e);
        }

        return new ChannelSettings(values);
    }

    private (string Settings, string Secrets) Split(string type, IReadOnlyDictionary<string, string> values)
    {
        var channel = catalog.Find(type) ?? throw new InvalidOperationException($"Unknown channel type '{type}'.");
        var secretNames = channel.Fields.Where(f => f.Secret).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var settings = values.Where(v => !secretNames.Contains(v.Key)).ToDictionary();
        var secrets = values.Where(v => secretNames.Contains(v.Key)).ToDictionary();
        return (JsonSerializer.Serialize(settings), JsonSerializer.Serialize(secrets));
    }
}
