using Harbor.Controller.Policy;

namespace Harbor.Controller.Tests.Policy;

public sealed class ScheduleTests
{
    private static readonly DateTimeOffset Saturday0130Utc = new(2026, 11, 28, 1, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0 3 * * *", "2026-11-28T03:00:00+00:00")]
    [InlineData("TZ=Europe/Berlin 0 3 * * *", "2026-11-28T02:00:00+00:00")] // 03:00 CET is 02:00 UTC
    [InlineData("*/20 * * * * *", "2026-11-28T01:30:20+00:00")]             // six fields: seconds first
    [InlineData("@daily", "2026-11-29T00:00:00+00:00")]
    [InlineData("6h", "2026-11-28T07:30:00+00:00")]
    [InlineData("1h30m", "2026-11-28T03:00:00+00:00")]
    public void NextAfter_CronTimeZoneAndInterval(string text, string expected)
    {
        Assert.True(UpdateSchedule.TryParse(text, out var schedule, out var error), error);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), schedule!.NextAfter(Saturday0130Utc));
    }

    [Theory]
    [InlineData("0 3 * *", "5 fields")]
    [InlineData("TZ=Mars/Olympus 0 3 * * *", "time zone")]
    [InlineData("61 * * * *", "61")]
    [InlineData("30s", "at least 1m")]
    public void TryParse_Invalid_SaysWhy(string text, string reason)
    {
        Assert.False(UpdateSchedule.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Window_IsOpenFromEachOccurrenceForItsDuration()
    {
        Assert.True(MaintenanceWindow.TryParse("0 1 * * 6 / 2h", out var window, out var error), error); // Saturdays 01:00–03:00 UTC

        var open = window!.StateAt(Saturday0130Utc);
        Assert.True(open.Open);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero), open.ClosesAt);

        var atOpening = window.StateAt(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));
        Assert.True(atOpening.Open);

        var atClosing = window.StateAt(new DateTimeOffset(2026, 11, 28, 3, 0, 0, TimeSpan.Zero));
        Assert.False(atClosing.Open);
        Assert.Equal(new DateTimeOffset(2026, 12, 5, 1, 0, 0, TimeSpan.Zero), atClosing.OpensAt);

        var before = window.StateAt(new DateTimeOffset(2026, 11, 27, 23, 0, 0, TimeSpan.Zero));
        Assert.False(before.Open);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero), before.OpensAt);
    }

    [Fact]
    public void Window_InATimeZone_FollowsLocalTimeAcrossDst()
    {
        Assert.True(MaintenanceWindow.TryParse("TZ=Europe/Berlin 0 2 * * * / 1h", out var window, out var error), error);

        // Winter: 02:00 CET = 01:00 UTC. Summer: 02:00 CEST = 00:00 UTC.
        Assert.True(window!.StateAt(new DateTimeOffset(2026, 1, 15, 1, 30, 0, TimeSpan.Zero)).Open);
        Assert.True(window.StateAt(new DateTimeOffset(2026, 7, 15, 0, 30, 0, TimeSpan.Zero)).Open);
        Assert.False(window.StateAt(new DateTimeOffset(2026, 7, 15, 1, 30, 0, TimeSpan.Zero)).Open);
    }

    [Theory]
    [InlineData("0 3 * * *", "/ <duration>")]
    [InlineData("0 3 * * * / soon", "duration")]
    [InlineData("0 3 * * * / 0", "longer than zero")]
    public void Window_Invalid_SaysWhy(string text, string reason)
    {
        Assert.False(MaintenanceWindow.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
