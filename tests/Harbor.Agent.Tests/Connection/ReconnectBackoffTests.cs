using Harbor.Agent.Connection;

namespace Harbor.Agent.Tests.Connection;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 0.5, 1)]
    [InlineData(1, 1, 2)]
    [InlineData(3, 4, 8)]
    [InlineData(10, 15, 30)]
    [InlineData(1000, 15, 30)]
    public void Delay_GrowsExponentiallyWithinHalfToFullCeiling(int attempt, double lowSeconds, double highSeconds)
    {
        var random = new Random(attempt);
        for (var i = 0; i < 200; i++)
        {
            var delay = ReconnectBackoff.Delay(attempt, Min, Max, random);
            Assert.InRange(delay.TotalSeconds, lowSeconds, highSeconds);
        }
    }

    [Fact]
    public void Delay_IsJittered_SoAgentsDoNotReconnectInLockstep()
    {
        var delays = Enumerable.Range(0, 50).Select(i => ReconnectBackoff.Delay(5, Min, Max, new Random(i))).Distinct().Count();

        Assert.True(delays > 40, $"only {delays} distinct delays");
    }
}
