namespace Harbor.Controller.Registries.RateLimits;

/// <summary>
/// Keeps the registry client's rate-limit state across restarts: restores it before any check can
/// run, saves what changed every <see cref="SaveInterval"/> (rate-limit headers arrive with every
/// registry answer, too often to write each) and once more at shutdown.
/// </summary>
internal sealed class RateLimitPersistence(RegistryClient registries, RateLimitStore store, TimeProvider timeProvider, ILogger<RateLimitPersistence> logger)
    : BackgroundService
{
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(10);

    private Dictionary<string, RateLimitState> saved = new(StringComparer.OrdinalIgnoreCase);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Registered after the database initializer and before the check workers: restored before the first check.
        var restored = await store.LoadAsync(cancellationToken);
        foreach (var (registry, state) in restored)
        {
            registries.RestoreRateLimit(registry, state);
        }

        saved = new Dictionary<string, RateLimitState>(restored, StringComparer.OrdinalIgnoreCase);
        if (restored.Count > 0)
        {
            Log.RateLimitsRestored(logger, restored.Count);
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await SaveChangesAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(SaveInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await SaveChangesAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: StopAsync saves once more.
        }
    }

    private async Task SaveChangesAsync(CancellationToken cancellationToken)
    {
        var changed = registries.RateLimits()
            .Where(s => (s.Value.ObservedAt is not null || s.Value.PausedUntil is not null) && !Equals(saved.GetValueOrDefault(s.Key), s.Value))
            .ToList();
        if (changed.Count == 0)
        {
            return;
        }

        try
        {
            await store.SaveAsync(changed, cancellationToken);
            foreach (var (registry, state) in changed)
            {
                saved[registry] = state;
            }
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or InvalidOperationException)
        {
            // Tried again at the next tick; the state is still in memory.
            Log.RateLimitsNotSaved(logger, e);
        }
    }
}
