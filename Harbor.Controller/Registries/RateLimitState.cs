namespace Harbor.Controller.Registries;

/// <summary>
/// What detection last learnt about a registry's rate limit: the remaining count and limit from its
/// headers (when it sends them), when that was seen, and until when requests wait because the
/// registry answered 429 with Retry-After. The controller saves it in the database and restores it at
/// start-up, so the page and the pause survive a restart.
/// </summary>
internal sealed record RateLimitState(long? Remaining, long? Limit, DateTimeOffset? ObservedAt, DateTimeOffset? PausedUntil);
