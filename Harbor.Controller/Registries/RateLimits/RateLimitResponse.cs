namespace Harbor.Controller.Registries.RateLimits;

/// <summary>One registry's last-known rate limit; <c>pausedUntil</c> is set while a Retry-After still runs.</summary>
internal sealed record RateLimitResponse(string Registry, long? Remaining, long? Limit, DateTimeOffset? ObservedAt, DateTimeOffset? PausedUntil);
