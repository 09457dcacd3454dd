using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Security.Secrets;

/// <summary>Named secrets in the <c>secrets</c> table, encrypted at rest. Values are never logged.</summary>
internal sealed class SecretStore(SqliteConnectionFactory connections, SecretProtector protector, TimeProvider timeProvider)
{
    public async Task<string?> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var value = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
            "SELECT value FROM secrets WHERE name = @name", new { name }, cancellationToken: cancellationToken));
        return value is null ? null : protector.Unprotect(value);
    }

    /// <summary>Stores the value unless one exists; returns the stored value (so two racing writers agree).</summary>
    public async Task<string> GetOrAddAsync(string name, string value, CancellationToken cancellationToken)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO secrets (name, value, created_at, updated_at) VALUES (@name, @value, @now, @now) ON CONFLICT (name) DO NOTHING",
            new { name, value = protector.Protect(value), now },
            cancellationToken: cancellationToken));
        return (await GetAsync(name, cancellationToken))!;
    }

    public async Task SetAsync(string name, string value, CancellationToken cancellationToken)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO secrets (name, value, created_at, updated_at) VALUES (@name, @value, @now, @now)
            ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            new { name, value = protector.Protect(value), now },
            cancellationToken: cancellationToken));
    }
}
