using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Security.Authorization;

namespace Harbor.Controller.Security.Users;

/// <summary>The users table and the recovery codes that belong to it.</summary>
internal sealed class UserStore(SqliteConnectionFactory connections, TimeProvider timeProvider)
{
    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT EXISTS (SELECT 1 FROM users)", cancellationToken: cancellationToken));
    }

    /// <summary>Creates the first admin, atomically only while no user exists; null when one already does.</summary>
    public async Task<UserRow?> CreateFirstAdminAsync(string userName, string passwordHash, CancellationToken cancellationToken)
    {
        var row = NewRow(userName, passwordHash, Roles.Admin, null);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (id, user_name, password_hash, role, host_groups, created_at, updated_at)
            SELECT @Id, @UserName, @PasswordHash, @Role, @HostGroups, @CreatedAt, @UpdatedAt
            WHERE NOT EXISTS (SELECT 1 FROM users)
            """,
            row,
            cancellationToken: cancellationToken));
        return inserted == 1 ? row : null;
    }

    /// <summary>Creates a user; null when the name is taken.</summary>
    public async Task<UserRow?> CreateAsync(string userName, string passwordHash, string role, IReadOnlyList<string>? hostGroups, CancellationToken cancellationToken)
    {
        var row = NewRow(userName, passwordHash, role, hostGroups);
        await using var connection = await connections.OpenAsync(cancellationToken);
        var inserted = await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO users (id, user_name, password_hash, role, host_groups, created_at, updated_at)
            VALUES (@Id, @UserName, @PasswordHash, @Role, @HostGroups, @CreatedAt, @UpdatedAt)
            ON CONFLICT (user_name) DO NOTHING
            """,
            row,
            cancellationToken: cancellationToken));
        return inserted == 1 ? row : null;
    }

    public async Task<UserRow?> FindByNameAsync(string userName, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            "SELECT * FROM users WHERE user_name = @userName", new { userName }, cancellationToken: cancellationToken));
    }

    public async Task<UserRow?> FindByIdAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<UserRow>(new CommandDefinition(
            "SELECT * FROM users WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<UserRow>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return [.. await connection.QueryAsync<UserRow>(new CommandDefinition("SELECT * FROM users ORDER BY user_name", cancellationToken: cancellationToken))];
    }

    /// <summary>
    /// Changes role, host groups and the disabled flag. Refuses (returns false) a change that would
    /// leave no enabled admin, so the controller can never lock everyone out of administration.
    /// </summary>
    public async Task<bool> UpdateAsync(string id, string role, IReadOnlyList<string>? hostGroups, bool disabled, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET role = @role, host_groups = @groups, disabled = @disabled, updated_at = @now WHERE id = @id",
            new { id, role, groups = ToJson(hostGroups), disabled = disabled ? 1 : 0, now = Now() },
            transaction,
            cancellationToken: cancellationToken));
        if (!await HasEnabledAdminAsync(connection, transaction, cancellationToken))
        {
            transaction.Rollback();
            return false;
        }

        transaction.Commit();
        return true;
    }

    /// <summary>Deletes a user (their sessions and API keys go with them), unless they are the last enabled admin.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition("DELETE FROM users WHERE id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        if (!await HasEnabledAdminAsync(connection, transaction, cancellationToken))
        {
            transaction.Rollback();
            return false;
        }

        transaction.Commit();
        return true;
    }

    public async Task SetPasswordHashAsync(string id, string passwordHash, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @passwordHash, updated_at = @now WHERE id = @id",
            new { id, passwordHash, now = Now() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Stores a new (not yet confirmed) TOTP secret, already encrypted.</summary>
    public async Task SetPendingTotpAsync(string id, string protectedSecret, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET totp_secret = @protectedSecret, totp_enabled = 0, totp_last_step = NULL, updated_at = @now WHERE id = @id",
            new { id, protectedSecret, now = Now() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Turns MFA on and replaces the recovery codes, in one transaction.</summary>
    public async Task EnableTotpAsync(string id, long acceptedStep, IEnumerable<string> recoveryCodeHashes, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET totp_enabled = 1, totp_last_step = @acceptedStep, updated_at = @now WHERE id = @id",
            new { id, acceptedStep, now = Now() },
            transaction,
            cancellationToken: cancellationToken));
        await ReplaceRecoveryCodesAsync(connection, transaction, id, recoveryCodeHashes, cancellationToken);
        transaction.Commit();
    }

    public async Task DisableTotpAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE users SET totp_secret = NULL, totp_enabled = 0, totp_last_step = NULL, updated_at = @now WHERE id = @id;
            DELETE FROM recovery_codes WHERE user_id = @id;
            """,
            new { id, now = Now() },
            cancellationToken: cancellationToken));
    }

    /// <summary>Records a TOTP time step as used; false when it (or a later one) was used already, so a code works once.</summary>
    public async Task<bool> TryAcceptTotpStepAsync(string id, long step, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET totp_last_step = @step WHERE id = @id AND (totp_last_step IS NULL OR totp_last_step < @step)",
            new { id, step },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task ReplaceRecoveryCodesAsync(string id, IEnumerable<string> codeHashes, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        using var transaction = connection.BeginTransaction(deferred: false);
        await ReplaceRecoveryCodesAsync(connection, transaction, id, codeHashes, cancellationToken);
        transaction.Commit();
    }

    /// <summary>Uses up one recovery code; false when it does not exist or was used.</summary>
    public async Task<bool> TryUseRecoveryCodeAsync(string id, string codeHash, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE recovery_codes SET used_at = @now WHERE user_id = @id AND code_hash = @codeHash AND used_at IS NULL",
            new { id, codeHash, now = Now() },
            cancellationToken: cancellationToken)) == 1;
    }

    public async Task<int> CountUnusedRecoveryCodesAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = @id AND used_at IS NULL", new { id }, cancellationToken: cancellationToken));
    }

    public static UserResponse ToResponse(UserRow row) => new(
        row.Id,
        row.UserName,
        row.Role,
        ParseGroups(row.HostGroups),
        row.TotpEnabled != 0,
        row.Disabled != 0,
        DbTime.Parse(row.CreatedAt));

    public static IReadOnlyList<string>? ParseGroups(string? json) =>
        json is null ? null : JsonSerializer.Deserialize<List<string>>(json);

    private static async Task ReplaceRecoveryCodesAsync(
        Microsoft.Data.Sqlite.SqliteConnection connection, System.Data.IDbTransaction transaction, string id, IEnumerable<string> codeHashes, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM recovery_codes WHERE user_id = @id", new { id }, transaction, cancellationToken: cancellationToken));
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO recovery_codes (user_id, code_hash) VALUES (@id, @hash)",
            codeHashes.Select(hash => new { id, hash }),
            transaction,
            cancellationToken: cancellationToken));
    }

    private static Task<bool> HasEnabledAdminAsync(Microsoft.Data.Sqlite.SqliteConnection connection, System.Data.IDbTransaction transaction, CancellationToken cancellationToken) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT EXISTS (SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0)", transaction: transaction, cancellationToken: cancellationToken));

    private UserRow NewRow(string userName, string passwordHash, string role, IReadOnlyList<string>? hostGroups)
    {
        var now = Now();
        return new UserRow
        {
            Id = "u_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)),
            UserName = userName,
            PasswordHash = passwordHash,
            Role = role,
            HostGroups = ToJson(hostGroups),
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private static string? ToJson(IReadOnlyList<string>? groups) => groups is null ? null : JsonSerializer.Serialize(groups);

    private string Now() => DbTime.ToText(timeProvider.GetUtcNow());
}
