namespace Harbor.Controller.Notifications;

/// <summary>When to try a failed message again.</summary>
internal static class Backoff
{
    /// <summary>
    /// The receiver's Retry-After when it gave one (capped), otherwise exponential from the initial
    /// delay with "equal jitter": between half and all of the step, so retries of many messages
    /// after one outage spread out but never come sooner than half the step.
    /// </summary>
    public static TimeSpan Next(int attempts, TimeSpan? retryAfter, NotificationOptions options, Random random)
    {
        if (retryAfter is { } after && after > TimeSpan.Zero)
        {
            return after < options.MaxRetryAfter ? after : options.MaxRetryAfter;
        }

        var exponent = Math.Min(attempts - 1, 30);
        var step = Math.Min(options.InitialBackoff.TotalMilliseconds * Math.Pow(2, exponent), options.MaxBackoff.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(step / 2 + random.NextDouble() * step / 2);
    }
}
