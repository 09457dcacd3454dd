using Harbor.Controller.Web;

namespace Harbor.Controller.Tests.Web;

/// <summary>How the UI writes who did something and when.</summary>
public sealed class DisplayTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("user:admin", "admin")]
    [InlineData("api_key:ci bot", "ci bot (API key)")]
    [InlineData("user:a:b", "a:b")]
    [InlineData("something else", "something else")]
    public void Caller_StoredAsKindAndName_ReadsAsAName(string stored, string shown) => Assert.Equal(shown, Display.Caller(stored));

    [Theory]
    [InlineData(0, "now")]
    [InlineData(59, "in under a minute")]
    [InlineData(60, "in 1 min")]
    [InlineData(119, "in 1 min")]
    [InlineData(42 * 60, "in 42 min")]
    [InlineData(3600, "in 1 h 0 min")]
    [InlineData(5 * 3600 + 30 * 60, "in 5 h 30 min")]
    [InlineData(3 * 86400, "in 3 days")]
    public void In_SaysHowFarAheadAPlannedMomentIs(int seconds, string expected) =>
        Assert.Equal(expected, Display.In(Now.AddSeconds(seconds), Now));

    [Fact]
    public void In_AMomentAlreadyPassed_IsNow() => Assert.Equal("now", Display.In(Now.AddMinutes(-3), Now));
}
