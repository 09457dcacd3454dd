using System.Text.Json;
using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Security.Users;

namespace Harbor.Controller.Security.ApiKeys;

/// <summary>API keys: created (shown once), checked on every Bearer call, rotated with a grace period, revoked.</summary>
internal sealed class ApiKeyStore(SqliteConnectionFactory connections, TimeProvider timeProvider)
{
    // last_used_at is written at most this often per key, so a busy scraper does not write on every call.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromSeconds(30);

    public async Task<CreatedApiKey> CreateAsync(string name, IReadOnlyList<string> scopes, string? ownerUserId, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var (row, key) = NewRow(name, scopes, ownerUserId, expiresAt);
        await InsertAsync(connection, null, row, cancellationToken);
        return new CreatedApiKey(key, ToResponse(row));
    }

    public async Task<ApiKeyValidation> AuthenticateAsync(string presented, CancellationToken cancellationToken)
    {
        if (!ApiKeyTokens.TryParse(presented, out var id, out var secret))
        {
            return ApiKeyValidation.Invalid("The bearer token is not a Harbor API key (hbk_…).");
        }

        var now = timeProvider.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var found = (await connection.QueryAsync<ApiKeyRow, UserRow, (ApiKeyRow Key, UserRow? Owner)>(
            new CommandDefinition(
                "SELECT k.*, u.* FROM api_keys k LEFT JOIN users u ON u.id = k.owner_user_id WHERE k.id = @id",
                new { id },
                cancellationToken: cancellationToken),
            (key, owner) => (key, owner),
            splitOn: "id")).ToList();

        // Compare against a hash even when the id is unknown, so timing does not tell which ids exist.
        var stored = found.Count == 1 ? found[0].Key.SecretHash : new string('0', 64);
        var matches = SecretHash.Matches(secret, stored);
        if (found.Count == 0 || !matches)
        {
            return ApiKeyValidation.Invalid("The API key is not valid.");
        }

        var (row, owner) = found[0];
        var failure = StatusOf(row, now) switch
        {
            "revoked" => "The API key was revoked.",
            "expired" when row.GraceUntil is not null => $"The API key was rotated and its grace period ended at {row.GraceUntil}.",
            "expired" => "The API key has expired.",
            _ => owner is { Disabled: not 0 } ? "The API key's owner is disabled." : null,
        };
        if (failure is not null)
        {
            return ApiKeyValidation.Invalid(failure);
        }

        if (row.LastUsedAt is null || now - DbTime.Parse(row.LastUsedAt) >= TouchInterval)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE api_keys SET last_used_at = @now WHERE id = @id", new { id, now = DbTime.ToText(now) }, cancellationToken: cancellationToken));
        }

        return new ApiKeyValidation(row, owner, null);
    }

    public async Task<IReadOnlyList<ApiKeyResponse>> ListAsync(string? ownerUserId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<ApiKeyRow>(new CommandDefinition(
            "SELECT * FROM api_keys WHERE @ownerUserId IS NULL OR owner_user_id = @ownerUserId ORDER BY created_at DESC",
            new { ownerUserId },
            cancellationToken: cancellationToken));
        return [.. rows.Select(ToResponse)];
    }

    public async Task<ApiKeyRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            "SELECT * FROM api_keys WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Issues a successor with the same name, scopes, owner and lifetime; the old key keeps working
    /// until <paramref name="grace"/> has passed. Null when the key is not active (already rotated,
    /// revoked or expired).
    /// </summary>
    public async Task<CreatedApiKey?> RotateAsync(string id, TimeSpan grace, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        var old = await connection.QuerySingleOrDefaultAsync<ApiKeyRow>(new CommandDefinition(
            "SELECT * FROM api_keys WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        if (old is null || StatusOf(old, now) != "active")
        {
            return null;
        }

        DateTimeOffset? expiresAt = old.ExpiresAt is null ? null : now + (DbTime.Parse(old.ExpiresAt) - DbTime.Parse(old.CreatedAt));
        var (row, key) = NewRow(old.Name, ParseScopes(old.Scopes), old.OwnerUserId, expiresAt);
        await InsertAsync(connection, transaction, row, cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET rotated_to = @newId, grace_until = @graceUntil WHERE id = @id",
            new { id, newId = row.Id, graceUntil = DbTime.ToText(now + grace) },
            transaction,
            cancellationToken: cancellationToken));
        transaction.Commit();
        return new CreatedApiKey(key, ToResponse(row));
    }

    /// <summary>Revokes a key now; false when it does not exist or was revoked already.</summary>
    public async Task<bool> RevokeAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE api_keys SET revoked_at = @now WHERE id = @id AND revoked_at IS NULL",
            new { id, now = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken)) == 1;
    }

    public static IReadOnlyList<string> ParseScopes(string json) => JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private ApiKeyResponse ToResponse(ApiKeyRow row) => new(
        row.Id,
        row.Name,
        ParseScopes(row.Scopes),
        row.OwnerUserId,
        StatusOf(row, timeProvider.GetUtcNow()),
        DbTime.Parse(row.CreatedAt),
        DbTime.ParseOrNull(row.ExpiresAt),
        DbTime.ParseOrNull(row.LastUsedAt),
        DbTime.ParseOrNull(row.RevokedAt),
        row.RotatedTo,
        DbTime.ParseOrNull(row.GraceUntil));

    private static string StatusOf(ApiKeyRow row, DateTimeOffset now)
    {
        if (row.RevokedAt is not null)
        {
            return "revoked";
        }

        if ((row.ExpiresAt is not null && now >= DbTime.Parse(row.ExpiresAt))
            || (row.GraceUntil is not null && now >= DbTime.Parse(row.GraceUntil)))
        {
            return "expired";
        }

        return row.RotatedTo is null ? "active" : "rotated";
    }

    private (ApiKeyRow Row, string Key) NewRow(string name, IReadOnlyList<string> scopes, string? ownerUserId, DateTimeOffset? expiresAt)
    {
        var (id, secret, key) = ApiKeyTokens.New();
        var row = new ApiKeyRow
        {
            Id = id,
            Name = name,
            SecretHash = ApiKeyTokens.Hash(secret),
            Scopes = JsonSerializer.Serialize(scopes.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
            OwnerUserId = ownerUserId,
            CreatedAt = DbTime.ToText(timeProvider.GetUtcNow()),
            ExpiresAt = DbTime.ToText(expiresAt),
        };
        return (row, key);
    }

    private static Task<int> InsertAsync(Microsoft.Data.Sqlite.SqliteConnection connection, System.Data.IDbTransaction? transaction, ApiKeyRow row, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO api_keys (id, name, secret_hash, scopes, owner_user_id, created_at, expires_at)
            VALUES (@Id, @Name, @SecretHash, @Scopes, @OwnerUserId, @CreatedAt, @ExpiresAt)
            """,
            row,
            transaction,
            cancellationToken: cancellationToken));
}
