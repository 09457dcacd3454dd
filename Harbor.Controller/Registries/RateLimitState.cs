namespace Harbor.Controller.Registries;

/// <summary>
/// What detection last learnt about a registry's rate limit: the remaining count and limit from its
/// headers (when it sends them), when that was seen, and until when requests wait because the
/// registry answered 429 with Retry-After. Kept in memory; empty after a controller restart.
/// </summary>
internal sealed record RateLimitState(long? Remaining, long? Limit, DateTimeOffset? ObservedAt, DateTimeOffset? PausedUntil);
