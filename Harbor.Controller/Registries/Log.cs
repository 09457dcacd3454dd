namespace Harbor.Controller.Registries;

/// <summary>Registry client log events. Event ids 3xxx. Secrets never appear in them.</summary>
internal static partial class Log
{
    [LoggerMessage(3001, LogLevel.Warning, "Registry {Registry} is unreachable: {Reason}", EventName = "RegistryUnreachable")]
    public static partial void RegistryUnreachable(ILogger logger, string registry, string reason);

    [LoggerMessage(3002, LogLevel.Warning, "Registry {Registry} rate-limited a request ({StatusCode}); waiting {Wait} before attempt {Attempt}", EventName = "RegistryRateLimited")]
    public static partial void RegistryRateLimited(ILogger logger, string registry, int statusCode, TimeSpan wait, int attempt);

    [LoggerMessage(3003, LogLevel.Warning, "Registry {Registry} answered {StatusCode}; retrying in {Wait} (attempt {Attempt})", EventName = "RegistryServerError")]
    public static partial void RegistryServerError(ILogger logger, string registry, int statusCode, TimeSpan wait, int attempt);

    [LoggerMessage(3004, LogLevel.Debug, "Fetched a registry token for {Registry} scope {Scope} valid for {Lifetime}", EventName = "RegistryTokenFetched")]
    public static partial void RegistryTokenFetched(ILogger logger, string registry, string scope, TimeSpan lifetime);

    [LoggerMessage(3005, LogLevel.Information, "Registry {Registry} reports {Remaining} requests remaining in its rate-limit window", EventName = "RegistryRateLimitRemaining")]
    public static partial void RegistryRateLimitRemaining(ILogger logger, string registry, long remaining);

    [LoggerMessage(3006, LogLevel.Warning, "The HEAD answer from {Registry} for {Reference} had no Docker-Content-Digest; fetched the manifest to hash it", EventName = "RegistryDigestHeaderMissing")]
    public static partial void RegistryDigestHeaderMissing(ILogger logger, string registry, string reference);

    [LoggerMessage(3007, LogLevel.Information, "Restored the last-known rate-limit state of {Count} registries", EventName = "RateLimitsRestored")]
    public static partial void RateLimitsRestored(ILogger logger, int count);

    [LoggerMessage(3008, LogLevel.Warning, "Saving registry rate-limit state failed; retrying at the next save", EventName = "RateLimitsNotSaved")]
    public static partial void RateLimitsNotSaved(ILogger logger, Exception exception);
}
