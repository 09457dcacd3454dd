using System.Collections.Concurrent;
using System.Security.Cryptography;
using Dapper;
using Harbor.Controller.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Harbor.Controller.Registries.Credentials;

/// <summary>
/// The registry_credentials table. Secrets go in encrypted and come out only to the registry client
/// (<see cref="IRegistryCredentialProvider"/>), never to the API. Decrypted credentials are cached in
/// memory per registry until a write changes them.
/// </summary>
internal sealed class CredentialStore(SqliteConnectionFactory connections, IDataProtectionProvider protection, TimeProvider timeProvider) : IRegistryCredentialProvider
{
    private readonly IDataProtector protector = protection.CreateProtector(CredentialProtection.Purpose);
    private readonly ConcurrentDictionary<string, RegistryCredential?> cache = new(StringComparer.OrdinalIgnoreCase);

    public async ValueTask<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(registry, out var cached))
        {
            return cached;
        }

        await using var connection = await connections.OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(
            "SELECT * FROM registry_credentials WHERE registry = @registry", new { registry }, cancellationToken: cancellationToken));
        var credential = row is null ? null : new RegistryCredential(row.Username, Unprotect(row));
        cache[registry] = credential;
        return credential;
    }

    public async Task<IReadOnlyList<CredentialResponse>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<CredentialRow>(new CommandDefinition(
            "SELECT * FROM registry_credentials ORDER BY registry", cancellationToken: cancellationToken));
        return [.. rows.Select(ToResponse)];
    }

    public async Task<CredentialRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<CredentialRow>(new CommandDefinition(
            "SELECT * FROM registry_credentials WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Adds a credential; null when the registry already has one (the caller answers 409).</summary>
    public async Task<CredentialResponse?> CreateAsync(string registry, string username, string secret, string source, CancellationToken cancellationToken)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        var row = new CredentialRow
        {
            Id = Guid.CreateVersion7().ToString("N"),
            Registry = registry,
            Username = username,
            ProtectedSecret = protector.Protect(secret),
            Source = source,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var connection = await connections.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO registry_credentials (id, registry, username, protected_secret, source, created_at, updated_at)
            VALUES (@Id, @Registry, @Username, @ProtectedSecret, @Source, @CreatedAt, @UpdatedAt)
            ON CONFLICT (registry) DO NOTHING
            """,
            row,
            cancellationToken: cancellationToken));
        cache.TryRemove(registry, out _);
        return inserted == 1 ? ToResponse(row) : null;
    }

    /// <summary>Adds or replaces the registry's credential (import). Returns whether one was replaced.</summary>
    public async Task<bool> UpsertAsync(string registry, string username, string secret, string source, CancellationToken cancellationToken)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await using var connection = await connections.OpenAsync(cancellationToken);
        var existed = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM registry_credentials WHERE registry = @registry", new { registry }, cancellationToken: cancellationToken)) > 0;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO registry_credentials (id, registry, username, protected_secret, source, created_at, updated_at)
            VALUES (@Id, @Registry, @Username, @ProtectedSecret, @Source, @Now, @Now)
            ON CONFLICT (registry) DO UPDATE SET
                username = excluded.username, protected_secret = excluded.protected_secret,
                source = excluded.source, updated_at = excluded.updated_at
            """,
            new { Id = Guid.CreateVersion7().ToString("N"), Registry = registry, Username = username, ProtectedSecret = protector.Protect(secret), Source = source, Now = now },
            cancellationToken: cancellationToken));
        cache.TryRemove(registry, out _);
        return existed;
    }

    public async Task<CredentialResponse?> UpdateAsync(string id, string? username, string? secret, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE registry_credentials SET
                username = COALESCE(@username, username),
                protected_secret = COALESCE(@protectedSecret, protected_secret),
                source = 'api',
                updated_at = @now
            WHERE id = @id
            """,
            new { id, username, protectedSecret = secret is null ? null : protector.Protect(secret), now = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken));
        if (changed == 0)
        {
            return null;
        }

        var row = await connection.QuerySingleAsync<CredentialRow>(new CommandDefinition(
            "SELECT * FROM registry_credentials WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        cache.TryRemove(row.Registry, out _);
        return ToResponse(row);
    }

    /// <summary>Deletes a credential; returns its registry, or null when there was none.</summary>
    public async Task<string?> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var registry = await connection.ExecuteScalarAsync<string?>(new CommandDefinition(
            "DELETE FROM registry_credentials WHERE id = @id RETURNING registry", new { id }, cancellationToken: cancellationToken));
        if (registry is not null)
        {
            cache.TryRemove(registry, out _);
        }

        return registry;
    }

    public RegistryCredential Decrypt(CredentialRow row) => new(row.Username, Unprotect(row));

    public static CredentialResponse ToResponse(CredentialRow row) =>
        new(row.Id, row.Registry, row.Username, row.Source, DbTime.Parse(row.CreatedAt), DbTime.Parse(row.UpdatedAt));

    private string Unprotect(CredentialRow row)
    {
        try
        {
            return protector.Unprotect(row.ProtectedSecret);
        }
        catch (CryptographicException e)
        {
            // The key ring was lost or replaced: the secret cannot be recovered, only entered again.
            throw new RegistryException(RegistryErrorKind.Unauthorized, row.Registry,
                $"The stored secret for {row.Registry} cannot be decrypted (was the controller's keys directory lost?); enter it again with PUT /api/v1/registries/credentials/{row.Id}.", e);
        }
    }
}
