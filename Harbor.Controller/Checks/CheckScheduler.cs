using Microsoft.Extensions.Options;

namespace Harbor.Controller.Checks;

/// <summary>Checks everything every <see cref="CheckOptions.Interval"/> (the policy work refines schedules per container later).</summary>
internal sealed class CheckScheduler(CheckService checks, TimeProvider timeProvider, IOptions<CheckOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (!settings.ScheduleEnabled)
        {
            return;
        }

        try
        {
            await Task.Delay(settings.FirstCheckDelay, timeProvider, stoppingToken);
            using var timer = new PeriodicTimer(settings.Interval, timeProvider);
            do
            {
                await checks.StartAsync(CheckScope.All, CheckTrigger.Schedule, stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
