using System.Net;
using Harbor.Controller.Registries;

namespace Harbor.Controller.Tests.Registries;

public sealed class RateLimitHeadersTests
{
    [Theory]
    [InlineData("ratelimit-remaining", "97;w=21600", 97L)]
    [InlineData("X-RateLimit-Remaining", "12", 12L)]
    [InlineData("RateLimit", "limit=100, remaining=50, reset=5", 50L)]
    public void Read_KnownHeaderStyles_GiveTheRemainingCount(string name, string value, long remaining)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.TryAddWithoutValidation(name, value);

        Assert.Equal(remaining, RateLimitHeaders.Read(response.Headers)?.Remaining);
    }

    [Fact]
    public void RetryAfter_SecondsOrDate_IsTheWait()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var seconds = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        seconds.Headers.TryAddWithoutValidation("Retry-After", "30");
        using var date = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        date.Headers.TryAddWithoutValidation("Retry-After", now.AddMinutes(2).ToString("R"));
        using var none = new HttpResponseMessage(HttpStatusCode.TooManyRequests);

        Assert.Equal(TimeSpan.FromSeconds(30), RateLimitHeaders.RetryAfter(seconds, now));
        Assert.Equal(TimeSpan.FromMinutes(2), RateLimitHeaders.RetryAfter(date, now));
        Assert.Null(RateLimitHeaders.RetryAfter(none, now));
    }
}
