using System.Globalization;
using System.Net.Http.Headers;

namespace Harbor.Controller.Registries;

/// <summary>
/// Reads the rate-limit headers registries send: Docker Hub's <c>ratelimit-remaining: 97;w=21600</c>,
/// <c>X-RateLimit-Remaining: 97</c>, the IETF draft's <c>RateLimit: limit=100, remaining=50</c>, and <c>Retry-After</c>.
/// </summary>
internal static class RateLimitHeaders
{
    public static (long Remaining, long? Limit)? Read(HttpResponseHeaders headers)
    {
        var remaining = First(headers, "RateLimit-Remaining") ?? First(headers, "X-RateLimit-Remaining");
        var limit = First(headers, "RateLimit-Limit") ?? First(headers, "X-RateLimit-Limit");
        if (remaining is null && headers.TryGetValues("RateLimit", out var combined))
        {
            foreach (var part in string.Join(',', combined).Split([',', ';'], StringSplitOptions.TrimEntries))
            {
                if (part.StartsWith("remaining=", StringComparison.OrdinalIgnoreCase))
                {
                    remaining = Number(part["remaining=".Length..]);
                }
                else if (part.StartsWith("limit=", StringComparison.OrdinalIgnoreCase))
                {
                    limit = Number(part["limit=".Length..]);
                }
            }
        }

        return remaining is { } r ? (r, limit) : null;
    }

    /// <summary>How long Retry-After asks to wait (seconds or an HTTP date), or null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var value = response.Headers.RetryAfter;
        if (value?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static long? First(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? Number(values.FirstOrDefault()) : null;

    /// <summary>"97;w=21600" → 97.</summary>
    private static long? Number(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var end = text.IndexOfAny([';', ',', ' ']);
        var number = end < 0 ? text : text[..end];
        return long.TryParse(number.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
