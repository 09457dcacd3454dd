using System.Text.Json;
using Harbor.Controller.Data;
using Harbor.Controller.Notifications.Channels;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Notifications;

/// <summary>
/// Delivers due outbox messages: marks each delivered only after a 2xx, otherwise schedules the next
/// attempt (jittered exponential backoff, or the receiver's Retry-After) until the attempts run out
/// and the message becomes a dead letter. Wakes on every enqueue and at the next due time; all
/// waiting goes through the TimeProvider.
/// </summary>
internal sealed class NotificationDispatcher : BackgroundService
{
    private const int BatchSize = 50;
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private readonly Outbox outbox;
    private readonly ChannelStore channels;
    private readonly ChannelCatalog catalog;
    private readonly NotificationSender sender;
    private readonly NotificationOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<NotificationDispatcher> logger;
    private readonly WakeSignal wake;

    public NotificationDispatcher(Outbox outbox, ChannelStore channels, ChannelCatalog catalog, NotificationSender sender,
        IOptions<NotificationOptions> options, TimeProvider timeProvider, ILogger<NotificationDispatcher> logger)
    {
        this.outbox = outbox;
        this.channels = channels;
        this.catalog = catalog;
        this.sender = sender;
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.logger = logger;
        wake = new WakeSignal(timeProvider);
        outbox.Enqueued += wake.Set;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var lastPrune = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan wait;
            try
            {
                IReadOnlyList<OutboxRow> due;
                do
                {
                    due = await outbox.DueAsync(BatchSize, stoppingToken);
                    await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = stoppingToken }, DeliverAsync);
                }
                while (due.Count == BatchSize);

                if (timeProvider.GetUtcNow() - lastPrune > PruneEvery)
                {
                    await outbox.PruneDeliveredAsync(options.DeliveredRetention, stoppingToken);
                    lastPrune = timeProvider.GetUtcNow();
                }

                var counts = await outbox.CountsAsync(stoppingToken);
                NotificationMetrics.Outbox.WithLabels(OutboxStatus.Pending).Set(counts.GetValueOrDefault(OutboxStatus.Pending));
                NotificationMetrics.Outbox.WithLabels(OutboxStatus.Dead).Set(counts.GetValueOrDefault(OutboxStatus.Dead));

                var next = await outbox.NextDueAsync(stoppingToken);
                wait = next is { } at ? at - timeProvider.GetUtcNow() : options.PollInterval;
                wait = wait < TimeSpan.Zero ? TimeSpan.Zero : wait > options.PollInterval ? options.PollInterval : wait;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.DispatcherFailed(logger, e);
                wait = options.InitialBackoff;
            }

            if (wait > TimeSpan.Zero)
            {
                await wake.WaitAsync(wait, stoppingToken);
            }
        }
    }

    private async ValueTask DeliverAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        try
        {
            await DeliverOneAsync(row, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One message that cannot be handled must not hold up the others: it counts as a failed attempt.
            Log.DispatcherFailed(logger, e);
            await RecordFailureAsync(row, "unknown", new DeliveryResult(false, null, true, null, "Harbor could not process this message: " + e.GetType().Name));
        }
    }

    private async Task DeliverOneAsync(OutboxRow row, CancellationToken cancellationToken)
    {
        var channelRow = await channels.FindAsync(row.ChannelId, cancellationToken);
        var channel = channelRow is null ? null : catalog.Find(channelRow.Type);
        if (channelRow is null || channel is null)
        {
            await GiveUpAsync(row, channelRow?.Type ?? "unknown", "The channel was deleted.");
            return;
        }

        ChannelSettings settings;
        try
        {
            settings = channels.Decrypt(channelRow);
        }
        catch (ChannelSecretsLostException e)
        {
            await GiveUpAsync(row, channel.Type, e.Message);
            return;
        }

        using var data = JsonDocument.Parse(row.Data);
        var message = new NotificationMessage(row.Id, row.EventType, row.Title, row.Body, DbTime.Parse(row.OccurredAt), row.HostId, data.RootElement);
        var result = await sender.SendAsync(channel, settings, message, cancellationToken);
        if (result.Delivered)
        {
            await outbox.MarkDeliveredAsync(row.Id, CancellationToken.None);
            NotificationMetrics.Deliveries.WithLabels(channel.Type).Inc();
            Log.Delivered(logger, row.Id, row.EventType, channel.Type, row.ChannelId, row.Attempts + 1);
            return;
        }

        await RecordFailureAsync(row, channel.Type, result);
    }

    private async Task RecordFailureAsync(OutboxRow row, string channelType, DeliveryResult result)
    {
        var attempts = row.Attempts + 1;
        if (result.Retryable && attempts < options.MaxAttempts)
        {
            var retryAt = timeProvider.GetUtcNow() + Backoff.Next((int)attempts, result.RetryAfter, options, Random.Shared);
            await outbox.MarkFailedAsync(row.Id, result.Error ?? "failed", retryAt, CancellationToken.None);
            NotificationMetrics.Failures.WithLabels(channelType, "retry").Inc();
            Log.Retrying(logger, row.Id, channelType, row.ChannelId, attempts, result.Error ?? "failed", retryAt);
            return;
        }

        await GiveUpAsync(row, channelType, result.Error ?? "failed");
    }

    // Recording an outcome is not cancelled with the dispatcher: a result the receiver gave must not be lost.
    private async Task GiveUpAsync(OutboxRow row, string channelType, string error)
    {
        await outbox.MarkFailedAsync(row.Id, error, null, CancellationToken.None);
        NotificationMetrics.Failures.WithLabels(channelType, "dead").Inc();
        Log.DeadLetter(logger, row.Id, row.ChannelId, row.Attempts + 1, error);
    }
}
