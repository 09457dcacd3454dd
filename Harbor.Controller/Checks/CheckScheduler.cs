using Harbor.Controller.Policy;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Checks;

/// <summary>
/// Scheduled checks. Every <see cref="CheckOptions.Interval"/> it checks everything except containers
/// that have their own check schedule (label <c>harbor.check-schedule</c> or rule field
/// <c>checkSchedule</c>); those are checked on their own schedule only. A container's next own check is
/// the schedule's first occurrence after its last check (any check: manual, webhook or scheduled), so a
/// restart neither skips nor repeats one; due containers are checked together in one run.
/// </summary>
internal sealed class CheckScheduler(
    CheckService checks, PolicyService policies, ScheduledCheckPlan plan, TimeProvider timeProvider, IOptions<CheckOptions> options, ILogger<CheckScheduler> logger)
    : BackgroundService
{
    /// <summary>How often labels and rules are read again when nothing is due sooner (a new label takes effect within this).</summary>
    internal static readonly TimeSpan RescanInterval = TimeSpan.FromMinutes(1);

    // When this scheduler last queued a container's own check: a run still queued or running is not queued again.
    private readonly Dictionary<CheckTarget, DateTimeOffset> requested = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ScheduleEnabled)
        {
            return;
        }

        await Task.WhenAll(EverythingAsync(stoppingToken), OwnSchedulesAsync(stoppingToken));
    }

    private async Task EverythingAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        try
        {
            plan.EverythingAt = timeProvider.GetUtcNow() + settings.FirstCheckDelay;
            await Task.Delay(settings.FirstCheckDelay, timeProvider, stoppingToken);
            using var timer = new PeriodicTimer(settings.Interval, timeProvider);
            var started = timeProvider.GetUtcNow();
            var ticks = 0;
            do
            {
                plan.EverythingAt = started + settings.Interval * ++ticks;
                await checks.StartAsync(CheckScope.Scheduled, CheckTrigger.Schedule, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task OwnSchedulesAsync(CancellationToken stoppingToken)
    {
        // A container never checked counts from now: its first own check is its schedule's next occurrence.
        var since = timeProvider.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = RescanInterval;
            try
            {
                wait = await PassAsync(since, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.CheckSchedulesFailed(logger, e);
            }

            try
            {
                await Task.Delay(wait, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Queues one run for every container whose own check is due; returns how long to wait for the next.</summary>
    internal async Task<TimeSpan> PassAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var due = new List<CheckTarget>();
        var next = now + RescanInterval;
        DateTimeOffset? earliest = null;
        var seen = new HashSet<CheckTarget>();
        foreach (var (container, schedule) in await policies.ResolveCheckSchedulesAsync(cancellationToken))
        {
            var target = new CheckTarget(container.HostId, container.Id);
            seen.Add(target);
            var last = Latest(container.Update.CheckedAt ?? since, requested.GetValueOrDefault(target));
            if (schedule.NextAfter(last) is not { } at)
            {
                continue;
            }

            if (at <= now)
            {
                due.Add(target);

                // Checked now: its next own check is the one after this.
                if (schedule.NextAfter(now) is not { } after)
                {
                    continue;
                }

                at = after;
            }

            earliest = earliest is { } e && e < at ? e : at;
            if (at < next)
            {
                next = at;
            }
        }

        // Forget containers that are gone or lost their own schedule.
        foreach (var gone in requested.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            requested.Remove(gone);
        }

        plan.OwnScheduleAt = earliest;
        if (due.Count > 0)
        {
            if (await checks.StartAsync(CheckScope.ForContainers(due), CheckTrigger.Schedule, cancellationToken) is { } run)
            {
                Log.ScheduledContainersCheck(logger, due.Count, run.Id);
                foreach (var target in due)
                {
                    requested[target] = now;
                }
            }
            else
            {
                Log.ScheduledContainersQueueFull(logger, due.Count);
            }
        }

        return next - now;
    }

    private static DateTimeOffset Latest(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
