using Harbor.Controller.Diagnostics;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Updates;

/// <summary>Ends, as failed, jobs that no agent took within <see cref="UpdateOptions.CommandTimeout"/>.</summary>
internal sealed class JobExpiryMonitor(UpdateJobService updates, IOptions<UpdateOptions> options, TimeProvider timeProvider, ILogger<JobExpiryMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Clamp(options.Value.CommandTimeout.Ticks / 4, TimeSpan.FromSeconds(1).Ticks, TimeSpan.FromMinutes(1).Ticks));
        using var timer = new PeriodicTimer(period, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await updates.ExpireOverdueAsync(stoppingToken);
                }
                catch (Microsoft.Data.Sqlite.SqliteException e)
                {
                    Log.JobExpiryFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
