using Harbor.Controller.Notifications;

namespace Harbor.Controller.Tests.Notifications;

public sealed class BackoffTests
{
    private static readonly NotificationOptions Options = new() { InitialBackoff = TimeSpan.FromSeconds(10), MaxBackoff = TimeSpan.FromMinutes(5), MaxRetryAfter = TimeSpan.FromHours(1) };

    [Theory]
    [InlineData(1, 5, 10)]
    [InlineData(2, 10, 20)]
    [InlineData(3, 20, 40)]
    [InlineData(10, 150, 300)]
    [InlineData(40, 150, 300)]
    public void Next_NoRetryAfter_JitteredWithinHalfToFullExponentialStep(int attempts, double minSeconds, double maxSeconds)
    {
        var random = new Random(7);
        var delays = Enumerable.Range(0, 200).Select(_ => Backoff.Next(attempts, null, Options, random).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, minSeconds, maxSeconds));
        Assert.True(delays.Distinct().Count() > 100, "retries of many messages spread out");
    }

    [Fact]
    public void Next_RetryAfter_HonouredUpToTheCap()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), Backoff.Next(1, TimeSpan.FromSeconds(90), Options, Random.Shared));
        Assert.Equal(TimeSpan.FromHours(1), Backoff.Next(1, TimeSpan.FromDays(2), Options, Random.Shared));
    }
}
