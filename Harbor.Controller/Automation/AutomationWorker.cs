using System.Threading.Channels;
using Harbor.Controller.Events;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Automation;

/// <summary>
/// Runs <see cref="AutomationEngine"/> after each finished check run and job (read from the event
/// stream) and every <see cref="AutomationOptions.EvaluateInterval"/>. Signals coalesce: a burst of
/// events while a pass runs causes one more pass, not one per event.
/// </summary>
internal sealed class AutomationWorker(
    AutomationEngine engine,
    EventHub events,
    TimeProvider timeProvider,
    IOptions<AutomationOptions> options,
    ILogger<AutomationWorker> logger) : BackgroundService
{
    private readonly Channel<bool> signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var listening = ListenAsync(stoppingToken);
        var ticking = TickAsync(stoppingToken);
        try
        {
            await foreach (var _ in signal.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await engine.EvaluateAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    Log.PassFailed(logger, e);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await Task.WhenAll(listening, ticking).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // A subscriber that falls behind is dropped; subscribe again and look once, so nothing is missed for long.
            using var subscription = events.Subscribe(null);
            signal.Writer.TryWrite(true);
            try
            {
                await foreach (var domainEvent in subscription.ReadAllAsync(stoppingToken))
                {
                    if (domainEvent.Type is EventTypes.CheckCompleted or EventTypes.JobFinished)
                    {
                        signal.Writer.TryWrite(true);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.EvaluateInterval, timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                signal.Writer.TryWrite(true);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
