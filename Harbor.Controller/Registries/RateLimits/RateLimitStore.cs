using Dapper;
using Harbor.Controller.Data;

namespace Harbor.Controller.Registries.RateLimits;

/// <summary>The last-known rate-limit state per registry (table <c>registry_rate_limits</c>).</summary>
internal sealed class RateLimitStore(SqliteConnectionFactory connections, TimeProvider timeProvider)
{
    public async Task<IReadOnlyDictionary<string, RateLimitState>> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<RateLimitRow>(new CommandDefinition(
            "SELECT registry, remaining, request_limit, observed_at, paused_until FROM registry_rate_limits", cancellationToken: cancellationToken));
        return rows.ToDictionary(
            r => r.Registry,
            r => new RateLimitState(r.Remaining, r.RequestLimit, DbTime.ParseOrNull(r.ObservedAt), DbTime.ParseOrNull(r.PausedUntil)),
            StringComparer.OrdinalIgnoreCase);
    }

    public async Task SaveAsync(IEnumerable<KeyValuePair<string, RateLimitState>> states, CancellationToken cancellationToken)
    {
        var now = DbTime.ToText(timeProvider.GetUtcNow());
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (registry, state) in states)
        {
            // A pause that has run out reads back as none; keep the longest known pause rather than forget it.
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO registry_rate_limits (registry, remaining, request_limit, observed_at, paused_until, updated_at)
                VALUES (@registry, @Remaining, @Limit, @observedAt, @pausedUntil, @now)
                ON CONFLICT (registry) DO UPDATE SET
                    remaining = excluded.remaining, request_limit = excluded.request_limit, observed_at = excluded.observed_at,
                    paused_until = COALESCE(excluded.paused_until, registry_rate_limits.paused_until), updated_at = excluded.updated_at
                """,
                new { registry, state.Remaining, state.Limit, observedAt = DbTime.ToText(state.ObservedAt), pausedUntil = DbTime.ToText(state.PausedUntil), now },
                transaction,
                cancellationToken: cancellationToken));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private sealed record RateLimitRow
    {
        public required string Registry { get; init; }
        public long? Remaining { get; init; }
        public long? RequestLimit { get; init; }
        public string? ObservedAt { get; init; }
        public string? PausedUntil { get; init; }
    }
}
