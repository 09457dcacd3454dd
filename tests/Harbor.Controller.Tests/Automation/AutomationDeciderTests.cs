using Harbor.Controller.Automation;
using Harbor.Controller.Policy;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Automation;

/// <summary>The decision table: mode × maintenance window × minimum age × schedule × per-host concurrency, on a fake clock.</summary>
public sealed class AutomationDeciderTests
{
    // Saturday 2026-11-28 01:30 UTC.
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 1, 30, 0, TimeSpan.Zero);

    public static TheoryData<string, string?, string, double, double?, bool, int, string, string> Cases => new()
    {
        // mode, window, schedule, digest age (h), last update (h ago), blocked, host jobs → action, reason fragment
        { "ignore", null, "6h", 100, null, false, 0, "None", "ignore" },
        { "notify", null, "6h", 0, null, false, 5, "Notify", "not touched" },
        { "approve", "0 3 * * * / 1h", "6h", 0, null, false, 5, "Approve", "approve" },
        { "auto", null, "6h", 0, null, false, 0, "Update", "updating" },
        { "auto", "0 1 * * 6 / 2h", "6h", 0, null, false, 0, "Update", "updating" },                   // inside Saturday 01:00–03:00
        { "auto", "0 3 * * * / 1h", "6h", 0, null, false, 0, "Wait", "opens at 2026-11-28 03:00 UTC" }, // window closed
        { "auto", null, "6h", 0, null, true, 0, "Blocked", "blocked" },
        { "auto", null, "6h", 0, null, false, 1, "Wait", "limit 1" },                                   // host busy
        { "auto", null, "6h", 0, 2, false, 0, "Wait", "due at 2026-11-28 05:30 UTC" },                  // interval: one per 6h
        { "auto", null, "6h", 0, 7, false, 0, "Update", "updating" },
        { "auto", null, "0 4 * * *", 1, null, false, 0, "Wait", "due at 2026-11-28 04:00 UTC" },       // cron: first occurrence after the digest appeared
        { "auto", null, "0 1 * * *", 1, null, false, 0, "Update", "updating" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Decide_ModeWindowScheduleConcurrency(string mode, string? window, string schedule, double ageHours, double? lastUpdateHoursAgo, bool blocked, int hostJobs, string action, string reason)
    {
        var facts = Facts(mode, window, schedule, TimeSpan.Zero, Now.AddHours(-ageHours), lastUpdateHoursAgo is { } h ? Now.AddHours(-h) : null, blocked, hostJobs);

        var decision = AutomationDecider.Decide(facts, Now);

        Assert.Equal((action, true), (decision.Action.ToString(), decision.Reason.Contains(reason, StringComparison.Ordinal)));
    }

    [Fact]
    public void Decide_MinimumAge_WaitsUntilTheDigestIsOldEnoughOnTheFakeClock()
    {
        var clock = new FakeTimeProvider(Now);
        var facts = Facts("auto", null, "6h", TimeSpan.FromHours(24), firstSeen: Now, null, false, 0);

        var early = AutomationDecider.Decide(facts, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(23.9));
        var stillEarly = AutomationDecider.Decide(facts, clock.GetUtcNow());
        clock.Advance(TimeSpan.FromHours(0.1));
        var ripe = AutomationDecider.Decide(facts, clock.GetUtcNow());

        Assert.Equal((AutomationAction.Wait, Now.AddHours(24)), (early.Action, early.NotBefore));
        Assert.Contains("Minimum age", early.Reason, StringComparison.Ordinal);
        Assert.Equal(AutomationAction.Wait, stillEarly.Action);
        Assert.Equal(AutomationAction.Update, ripe.Action);
    }

    [Fact]
    public void Decide_SeveralThingsInTheWay_NamesTheFirstInAFixedOrder()
    {
        // Young digest, closed window and a busy host: the minimum age is reported (it is the longest-lived reason).
        var facts = Facts("auto", "0 3 * * * / 1h", "6h", TimeSpan.FromHours(48), Now, null, false, 3);

        var decision = AutomationDecider.Decide(facts, Now);

        Assert.Contains("Minimum age", decision.Reason, StringComparison.Ordinal);
        Assert.Equal(Now.AddHours(48), decision.NotBefore);
    }

    [Fact]
    public void Decide_DependencyFirstOrCycle_WaitsOrRefusesEvenWhenAllowed()
    {
        var waiting = Facts("auto", null, "6h", TimeSpan.Zero, Now, null, false, 0) with { WaitingFor = "db" };
        var cycle = Facts("auto", null, "6h", TimeSpan.Zero, Now, null, false, 0) with { Problem = "Dependency cycle: a → b → a." };

        Assert.Equal((AutomationAction.Wait, "Waits for its dependency 'db' to be updated first."), (AutomationDecider.Decide(waiting, Now).Action, AutomationDecider.Decide(waiting, Now).Reason));
        Assert.Equal(AutomationAction.Error, AutomationDecider.Decide(cycle, Now).Action);
        Assert.Equal(AutomationAction.Error, AutomationDecider.Decide(cycle with { Mode = UpdateMode.Approve }, Now).Action);
    }

    private static AutomationFacts Facts(string mode, string? window, string schedule, TimeSpan minAge, DateTimeOffset firstSeen, DateTimeOffset? lastUpdate, bool blocked, int hostJobs)
    {
        Assert.True(PolicyValues.TryParseMode(mode, out var parsedMode, out _));
        Assert.True(UpdateSchedule.TryParse(schedule, out var parsedSchedule, out var error), error);
        MaintenanceWindow? parsedWindow = null;
        Assert.True(window is null || MaintenanceWindow.TryParse(window, out parsedWindow, out error), error);
        return new AutomationFacts(parsedMode, parsedSchedule!, parsedWindow, minAge, firstSeen, lastUpdate, blocked, hostJobs, MaxJobsPerHost: 1);
    }
}
