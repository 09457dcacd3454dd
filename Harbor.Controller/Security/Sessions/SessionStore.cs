using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Security.Users;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Security.Sessions;

/// <summary>
/// Server-side sessions: the cookie holds a random token, the table holds its hash. Every request
/// checks the row, so a revoked session stops working on its very next request.
/// </summary>
internal sealed class SessionStore(SqliteConnectionFactory connections, TimeProvider timeProvider, IOptions<SecurityOptions> options)
{
    // last_seen_at is written at most this often per session: idle limits are minutes or hours, writes per request are not needed.
    private static readonly TimeSpan TouchInterval = TimeSpan.FromSeconds(30);

    public async Task<NewSession> CreateAsync(string userId, string? remoteIp, string? userAgent, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var token = SessionTokens.NewToken();
        var row = new SessionRow
        {
            Id = SessionTokens.NewId(),
            TokenHash = SessionTokens.Hash(token),
            UserId = userId,
            CreatedAt = DbTime.ToText(now),
            LastSeenAt = DbTime.ToText(now),
            ExpiresAt = DbTime.ToText(now + options.Value.SessionAbsoluteTimeout),
            RemoteIp = remoteIp,
            UserAgent = userAgent is { Length: > 256 } ? userAgent[..256] : userAgent,
        };
        await using var connection = await connections.OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO sessions (id, token_hash, user_id, created_at, last_seen_at, expires_at, remote_ip, user_agent)
            VALUES (@Id, @TokenHash, @UserId, @CreatedAt, @LastSeenAt, @ExpiresAt, @RemoteIp, @UserAgent)
            """,
            row,
            cancellationToken: cancellationToken));
        return new NewSession(token, row);
    }

    public async Task<SessionValidation> ValidateAsync(string token, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var found = (await connection.QueryAsync<SessionRow, UserRow, (SessionRow Session, UserRow User)>(
            new CommandDefinition(
                "SELECT s.*, u.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = @hash",
                new { hash = SessionTokens.Hash(token) },
                cancellationToken: cancellationToken),
            (session, user) => (session, user),
            splitOn: "id")).ToList();
        if (found.Count == 0)
        {
            return SessionValidation.Invalid("The session does not exist (signed out or never existed).");
        }

        var (session, user) = found[0];
        if (session.RevokedAt is not null)
        {
            return SessionValidation.Invalid("The session was revoked.");
        }

        if (now >= DbTime.Parse(session.ExpiresAt))
        {
            return SessionValidation.Invalid("The session reached its absolute time limit.");
        }

        var lastSeen = DbTime.Parse(session.LastSeenAt);
        if (now - lastSeen >= options.Value.SessionIdleTimeout)
        {
            return SessionValidation.Invalid("The session expired after being idle.");
        }

        if (user.Disabled != 0)
        {
            return SessionValidation.Invalid("The user is disabled.");
        }

        if (now - lastSeen >= TouchInterval)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE sessions SET last_seen_at = @now WHERE id = @id", new { id = session.Id, now = DbTime.ToText(now) }, cancellationToken: cancellationToken));
        }

        return new SessionValidation(session, user, null);
    }

    /// <summary>Active sessions, of one user or (userId null) of everyone.</summary>
    public async Task<IReadOnlyList<SessionResponse>> ListActiveAsync(string? userId, string? currentSessionId, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<SessionRow, string, (SessionRow Session, string UserName)>(
            new CommandDefinition(
                """
                SELECT s.*, u.user_name FROM sessions s JOIN users u ON u.id = s.user_id
                WHERE s.revoked_at IS NULL AND s.expires_at > @now AND (@userId IS NULL OR s.user_id = @userId)
                ORDER BY s.last_seen_at DESC
                """,
                new { userId, now = DbTime.ToText(now) },
                cancellationToken: cancellationToken),
            (session, userName) => (session, userName),
            splitOn: "user_name");
        return
        [
            .. rows
                .Where(r => now - DbTime.Parse(r.Session.LastSeenAt) < options.Value.SessionIdleTimeout)
                .Select(r => new SessionResponse(
                    r.Session.Id,
                    r.Session.UserId,
                    r.UserName,
                    DbTime.Parse(r.Session.CreatedAt),
                    DbTime.Parse(r.Session.LastSeenAt),
                    DbTime.Parse(r.Session.ExpiresAt),
                    r.Session.RemoteIp,
                    r.Session.UserAgent,
                    r.Session.Id == currentSessionId)),
        ];
    }

    public async Task<SessionRow?> FindAsync(string id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<SessionRow>(new CommandDefinition(
            "SELECT * FROM sessions WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    /// <summary>Revokes one session; false when it does not exist or was revoked already.</summary>
    public async Task<bool> RevokeAsync(string id, string revokedBy, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE sessions SET revoked_at = @now, revoked_by = @revokedBy WHERE id = @id AND revoked_at IS NULL",
            new { id, revokedBy, now = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Revokes every session of a user except, optionally, one (after a password change: keep the current one).</summary>
    public async Task<int> RevokeAllAsync(string userId, string revokedBy, string? exceptSessionId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        return await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE sessions SET revoked_at = @now, revoked_by = @revokedBy
            WHERE user_id = @userId AND revoked_at IS NULL AND (@exceptSessionId IS NULL OR id <> @exceptSessionId)
            """,
            new { userId, revokedBy, exceptSessionId, now = DbTime.ToText(timeProvider.GetUtcNow()) },
            cancellationToken: cancellationToken));
    }
}
