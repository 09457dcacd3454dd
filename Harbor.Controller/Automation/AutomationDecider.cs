using System.Globalization;
using Harbor.Controller.Policy;

namespace Harbor.Controller.Automation;

/// <summary>
/// The pure decision: given a container's policy and the facts around it, what the engine does now.
/// Checks run in a fixed order so the reason names the first thing in the way.
/// </summary>
internal static class AutomationDecider
{
    /// <summary>How the reason of a container held back only by a dependency's update begins (restarts skip it: its own update follows).</summary>
    public const string WaitsForDependency = "Waits for its dependency";

    public static AutomationDecision Decide(AutomationFacts facts, DateTimeOffset now)
    {
        switch (facts.Mode)
        {
            case UpdateMode.Ignore:
                return new(AutomationAction.None, "Policy is ignore: Harbor leaves this container alone.");
            case UpdateMode.Notify:
                return new(AutomationAction.Notify, "Policy is notify: the update is reported, the container is not touched.");
            case UpdateMode.Approve:
                return facts.Problem is { } approveProblem
                    ? new(AutomationAction.Error, approveProblem)
                    : new(AutomationAction.Approve, "Policy is approve: the update waits for a user to approve it.");
        }

        if (facts.Problem is { } problem)
        {
            return new(AutomationAction.Error, problem);
        }

        if (facts.Blocked)
        {
            return new(AutomationAction.Blocked, "This digest failed verification on this container before and is blocked; clear it to try again.");
        }

        var ripe = facts.FirstSeenAt + facts.MinAge;
        if (now < ripe)
        {
            return new(AutomationAction.Wait,
                $"Minimum age: the digest was first seen {Show(facts.FirstSeenAt)} and is applied once it is {Show(facts.MinAge)} old, at {Show(ripe)}.", ripe);
        }

        if (facts.Window?.StateAt(now) is { Open: false } window)
        {
            return new(AutomationAction.Wait,
                window.OpensAt is { } opens
                    ? $"Outside the maintenance window '{facts.Window.Text}'; it opens at {Show(opens)}."
                    : $"Outside the maintenance window '{facts.Window.Text}', which never opens again.",
                window.OpensAt);
        }

        if (NextScheduled(facts) is { } due && due > now)
        {
            return new(AutomationAction.Wait, $"Schedule '{facts.Schedule.Text}': the next automatic update is due at {Show(due)}.", due);
        }

        if (facts.WaitingFor is { } dependency)
        {
            return new(AutomationAction.Wait, $"{WaitsForDependency} '{dependency}' to be updated first.");
        }

        if (facts.HostJobs >= facts.MaxJobsPerHost)
        {
            return new(AutomationAction.Wait,
                $"The host already runs {facts.HostJobs} job(s) (limit {facts.MaxJobsPerHost} at a time); this one follows when a slot frees.");
        }

        return new(AutomationAction.Update, "Policy is auto and nothing is in the way: updating.");
    }

    /// <summary>
    /// When the schedule next lets an automatic update run: after the last automatic update (at most
    /// one per schedule period), or for a cron schedule the first occurrence after the digest appeared.
    /// An interval with no previous update is due at once.
    /// </summary>
    internal static DateTimeOffset? NextScheduled(AutomationFacts facts) =>
        facts.LastUpdateAt is { } last
            ? facts.Schedule.NextAfter(last)
            : facts.Schedule.Interval is null ? facts.Schedule.NextAfter(facts.FirstSeenAt) : null;

    private static string Show(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string Show(TimeSpan span) => span.TotalHours >= 1
        ? span.TotalHours.ToString("0.##", CultureInfo.InvariantCulture) + "h"
        : span.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture) + "m";
}
