namespace Harbor.Controller.Settings;

/// <summary>Applies the retention settings once an hour (on the controller's clock), starting a minute after start-up.</summary>
internal sealed class RetentionWorker(RetentionService retention, TimeProvider timeProvider, ILogger<RetentionWorker> logger) : BackgroundService
{
    public static readonly TimeSpan FirstRun = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(FirstRun, timeProvider, stoppingToken);
            using var timer = new PeriodicTimer(Interval, timeProvider);
            do
            {
                try
                {
                    var (jobs, events, audit) = await retention.PurgeAsync(stoppingToken);
                    if (jobs + events + audit > 0)
                    {
                        Log.RetentionPurged(logger, jobs, events, audit);
                    }
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
                {
                    // A locked or busy database: the next hour tries again.
                    Log.RetentionFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
