using System.Diagnostics;
using Harbor.Controller.Events;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Checks;

/// <summary>Takes queued runs and executes up to <see cref="CheckOptions.MaxConcurrentRuns"/> at a time.</summary>
internal sealed class CheckWorker(
    CheckService checks,
    CheckExecutor executor,
    CheckRunStore store,
    TimeProvider timeProvider,
    IOptions<CheckOptions> options,
    EventHub events,
    ILogger<CheckWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var abandoned = await store.FailUnfinishedAsync(checks.StartedAt, timeProvider.GetUtcNow(), stoppingToken);
        if (abandoned > 0)
        {
            Log.ChecksAbandoned(logger, abandoned);
        }

        using var slots = new SemaphoreSlim(options.Value.MaxConcurrentRuns);
        var running = new List<Task>();
        try
        {
            await foreach (var run in checks.Queue.ReadAllAsync(stoppingToken))
            {
                await slots.WaitAsync(stoppingToken);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await ExecuteRunAsync(run, stoppingToken);
                    }
                    finally
                    {
                        slots.Release();
                    }
                }, CancellationToken.None));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(running).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ExecuteRunAsync(CheckRun run, CancellationToken stoppingToken)
    {
        var progress = checks.Begin(run);
        var started = Stopwatch.GetTimestamp();
        string status;
        string? error = null;
        try
        {
            await store.MarkRunningAsync(run.Id, timeProvider.GetUtcNow(), stoppingToken);
            await executor.RunAsync(run, progress, stoppingToken);
            status = CheckRunStore.Completed;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            status = CheckRunStore.Failed;
            error = "The controller stopped before this check finished.";
        }
        catch (Exception e)
        {
            Log.CheckFailed(logger, e, run.Id);
            status = CheckRunStore.Failed;
            error = $"The check failed: {e.Message}";
        }

        var duration = Stopwatch.GetElapsedTime(started);
        try
        {
            await store.FinishAsync(run.Id, status, progress, error, timeProvider.GetUtcNow(), options.Value.KeepRuns, CancellationToken.None);
        }
        finally
        {
            checks.End(run);
        }

        // After FinishAsync: a subscriber (the automation engine) reading container_checks sees this run's results.
        events.Publish(EventTypes.CheckCompleted, run.Scope.HostId, new
        {
            checkRunId = run.Id, triggeredBy = run.TriggeredBy, scope = run.Scope.Kind, hostId = run.Scope.HostId, status, error,
            containers = progress.Containers,
            upToDate = progress.CountOf(UpdateStatus.UpToDate), updateAvailable = progress.CountOf(UpdateStatus.UpdateAvailable),
            pinned = progress.CountOf(UpdateStatus.Pinned), local = progress.CountOf(UpdateStatus.Local), errors = progress.CountOf(UpdateStatus.Error),
            durationMs = (long)duration.TotalMilliseconds,
        });
        DetectionMetrics.ChecksRun.WithLabels(run.TriggeredBy, status).Inc();
        DetectionMetrics.CheckDuration.WithLabels(run.TriggeredBy).Observe(duration.TotalSeconds);
        Log.CheckCompleted(logger, run.Id, run.TriggeredBy, run.Scope.Key, duration, progress.Containers, progress.ReferencesTotal,
            progress.CountOf(UpdateStatus.UpToDate), progress.CountOf(UpdateStatus.UpdateAvailable), progress.CountOf(UpdateStatus.Error), progress.RegistryRequests);
    }
}
