using Harbor.Controller.Events;

namespace Harbor.Controller.Notifications;

/// <summary>
/// Reads the domain event stream and turns each event that a rule matches into an outbox message
/// for the rule's channel (or a digest item). It subscribes when the host starts, before anything
/// publishes, and picks up from the replay ring if it ever falls behind.
/// </summary>
internal sealed class NotificationRouter(EventHub hub, RuleStore rules, Outbox outbox, DigestStore digests, ILogger<NotificationRouter> logger) : BackgroundService
{
    // Event ids restart at 1 with every process; the boot id keeps event keys (and so idempotency keys) unique across restarts.
    private readonly string bootId = Guid.NewGuid().ToString("N")[..12];
    private EventSubscription? first;
    private long lastId;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        first = hub.Subscribe(null);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var subscription = first ?? hub.Subscribe(lastId);
            first = null;
            await foreach (var domainEvent in subscription.ReadAllAsync(stoppingToken))
            {
                lastId = domainEvent.Id;
                if (domainEvent.Type == EventTypes.JobProgress)
                {
                    // Pull progress is for live views: a "*" or "job.*" rule would get two messages a second per job.
                    continue;
                }

                try
                {
                    await RouteAsync(NotificationEvent.From(domainEvent, bootId), stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.RoutingFailed(logger, e, domainEvent.Type, domainEvent.Id);
                }
            }

            if (!stoppingToken.IsCancellationRequested)
            {
                Log.RouterResubscribed(logger, lastId);
            }
        }
    }

    public async Task RouteAsync(NotificationEvent e, CancellationToken cancellationToken)
    {
        var all = await rules.AllAsync(cancellationToken);
        if (NotificationEventTypes.EndsCheckRun(e.Type) && e.CheckRunId is { } endedRun)
        {
            foreach (var rule in all.Where(r => r.Digest && r.Active))
            {
                await digests.FlushAsync(rule, endedRun, e, cancellationToken);
            }
        }

        foreach (var rule in all.Where(r => r.Matches(e)))
        {
            var (title, body) = NotificationTemplates.Render(e, rule.TitleTemplate, rule.BodyTemplate);
            if (rule.Digest && e.CheckRunId is { } run)
            {
                // The run's end is the digest itself; an item of the run waits for it.
                if (!NotificationEventTypes.EndsCheckRun(e.Type))
                {
                    await digests.AddAsync(rule, run, e, body.Length > 0 ? body : title, cancellationToken);
                }

                continue;
            }

            var added = await outbox.EnqueueAsync(
                new OutboxEntry($"{e.Key}:{rule.ChannelId}", rule.ChannelId, rule.Id, e.Type, e.HostId, title, body, e.Data.GetRawText(), e.At),
                cancellationToken);
            if (added)
            {
                Log.Enqueued(logger, e.Type, rule.Name, rule.ChannelId);
            }
        }
    }
}
