namespace Harbor.Agent.Connection;

/// <summary>
/// Exponential backoff with "equal jitter": half the delay is fixed, half random, so a fleet of
/// agents does not reconnect in lockstep after a controller restart yet never retries instantly.
/// </summary>
internal static class ReconnectBackoff
{
    public static TimeSpan Delay(int attempt, TimeSpan min, TimeSpan max, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(attempt);
        var ceiling = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        var half = ceiling / 2;
        var jitter = (random ?? Random.Shared).NextDouble() * half;
        return TimeSpan.FromMilliseconds(half + jitter);
    }
}
