using System.Collections.Concurrent;
using System.Threading.Channels;
using Harbor.Controller.Events;
using Harbor.Controller.Inventory;
using Harbor.Controller.Notifications.Channels;
using Harbor.Controller.Updates;
using Microsoft.Extensions.Options;

namespace Harbor.Controller.Notifications.HomeAssistant;

/// <summary>
/// Keeps Home Assistant's view of every container current on each enabled MQTT channel with
/// discovery on: one update entity per container, its state, and the controller's availability.
/// Runs a pass when the inventory or a check changes anything (domain events), when a channel
/// changes, and every <see cref="NotificationOptions.DiscoveryInterval"/>; a pass sends only what
/// changed. A broker that is down is tried again with backoff; nothing here goes through the
/// outbox, because the state is re-derived from the inventory on every pass. While jobs run, passes
/// come every <see cref="ProgressRefresh"/> so in_progress and pull progress follow them. Install
/// commands from Home Assistant queue (bounded) for <see cref="HomeAssistantInstaller"/>; a press that
/// started nothing is said in that container's release summary while it still applies (<see cref="InstallFeedback"/>).
/// </summary>
internal sealed class HomeAssistantPublisher : BackgroundService
{
    /// <summary>Time between passes while any job is unfinished (job steps and pull progress do not wake a pass each).</summary>
    internal static readonly TimeSpan ProgressRefresh = TimeSpan.FromSeconds(2);

    private const int MaxQueuedInstalls = 64;

    private readonly EventHub hub;
    private readonly ChannelStore channels;
    private readonly InventoryQueries inventory;
    private readonly HostGroups hostGroups;
    private readonly JobQueries jobs;
    private readonly HomeAssistantInstaller installer;
    private readonly Channel<InstallRequest> installs = Channel.CreateBounded<InstallRequest>(new BoundedChannelOptions(MaxQueuedInstalls) { SingleReader = true });
    private readonly ConcurrentDictionary<(string ChannelId, string HostId, string ContainerName), InstallFeedback> feedback = new();
    private bool jobsRunning;
    private readonly NotificationOptions options;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<HomeAssistantPublisher> logger;
    private readonly Dictionary<string, DiscoverySession> sessions = new(StringComparer.Ordinal);
    private readonly WakeSignal wake;
    private EventSubscription? subscription;

    public HomeAssistantPublisher(
        EventHub hub, ChannelStore channels, InventoryQueries inventory, HostGroups hostGroups, JobQueries jobs, HomeAssistantInstaller installer,
        IOptions<NotificationOptions> options, TimeProvider timeProvider, ILogger<HomeAssistantPublisher> logger)
    {
        this.hub = hub;
        this.channels = channels;
        this.inventory = inventory;
        this.hostGroups = hostGroups;
        this.jobs = jobs;
        this.installer = installer;
        this.options = options.Value;
        this.timeProvider = timeProvider;
        this.logger = logger;
        wake = new WakeSignal(timeProvider);
        channels.Changed += wake.Set;
    }

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        subscription = hub.Subscribe(null);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var listening = ListenAsync(stoppingToken);
        var installing = InstallAsync(stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.DiscoveryPassFailed(logger, e);
            }

            await wake.WaitAsync(NextWait(), stoppingToken);
        }

        await listening;
        await installing;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        channels.Changed -= wake.Set;
        subscription?.Dispose();
        // A clean stop says "offline" itself; a crash leaves it to the broker's last will.
        foreach (var session in sessions.Values)
        {
            try
            {
                await session.CloseAsync(cancellationToken);
            }
            catch (Exception e) when (MqttConnection.IsConnectionFailure(e) || e is DiscoveryException)
            {
                Log.DiscoveryFailed(logger, session.ChannelId, e.Message);
            }
        }

        sessions.Clear();
    }

    /// <summary>One pass over every MQTT channel: sessions made, replaced or closed to match the channels, then entities reconciled.</summary>
    internal async Task PassAsync(CancellationToken cancellationToken)
    {
        var rows = (await channels.ListAsync(cancellationToken)).Where(r => r.Type == MqttChannel.TypeName).ToDictionary(r => r.Id, StringComparer.Ordinal);
        foreach (var session in sessions.Values.ToList())
        {
            var row = rows.GetValueOrDefault(session.ChannelId);
            var wanted = row is not null && row.Enabled != 0 && Settings(row) is { } settings && MqttChannel.DiscoveryEnabled(settings);
            if (!wanted || row!.UpdatedAt != session.Version)
            {
                await EndAsync(session, removeEntities: !wanted, cancellationToken);
            }
        }

        IReadOnlyList<ContainerResponse>? containers = null;
        Dictionary<(string, string), ActiveJob>? active = null;
        IReadOnlyDictionary<string, string?>? groups = null;
        foreach (var row in rows.Values.Where(r => r.Enabled != 0))
        {
            if (!sessions.TryGetValue(row.Id, out var session))
            {
                if (Settings(row) is not { } settings || !MqttChannel.DiscoveryEnabled(settings))
                {
                    continue;
                }

                session = new DiscoverySession(row.Id, row.Name, row.UpdatedAt, settings, Enqueue);
                sessions[row.Id] = session;
            }

            if (timeProvider.GetUtcNow() < session.RetryAt)
            {
                continue;
            }

            try
            {
                if (!session.Connected)
                {
                    await session.ConnectAsync(options.RequestTimeout, cancellationToken);
                    Log.DiscoveryConnected(logger, session.ChannelId);
                }

                containers ??= await inventory.ListAllContainersAsync(visibleHosts: null, cancellationToken);
                active ??= (await jobs.ActiveAsync(cancellationToken)).ToDictionary(j => (j.HostId, j.ContainerName));
                groups ??= await hostGroups.AllAsync(cancellationToken);
                var desired = containers
                    .Select(c => UpdateEntity.From(c, session.DiscoveryPrefix, session.TopicPrefix, session.AvailabilityTopic,
                        session.InstallsOn(groups.GetValueOrDefault(c.HostId)), active.GetValueOrDefault((c.HostId, c.Name)),
                        FeedbackFor(session.ChannelId, c, active.ContainsKey((c.HostId, c.Name)))))
                    .DistinctBy(e => e.ObjectId)
                    .ToList();
                var (published, removed) = await session.ReconcileAsync(desired, cancellationToken);
                if (published + removed > 0)
                {
                    Log.DiscoveryPublished(logger, session.ChannelId, published, removed);
                }

                session.Failures = 0;
            }
            catch (Exception e) when ((e is DiscoveryException || MqttConnection.IsConnectionFailure(e)) && !cancellationToken.IsCancellationRequested)
            {
                session.Failures++;
                session.RetryAt = timeProvider.GetUtcNow() + Backoff.Next(session.Failures, null, options, Random.Shared);
                Log.DiscoveryFailed(logger, session.ChannelId, e.Message);
                await session.DisposeAsync();
            }
        }

        jobsRunning = active is { Count: > 0 };
    }

    /// <summary>The last press's answer for this container on this channel while it applies; a stale one is forgotten.</summary>
    private string? FeedbackFor(string channelId, ContainerResponse container, bool jobRunning)
    {
        if (!feedback.TryGetValue((channelId, container.HostId, container.Name), out var answer))
        {
            return null;
        }

        if (answer.StillApplies(container, jobRunning))
        {
            return answer.Message;
        }

        // Only this answer: a newer press may have replaced it since.
        feedback.TryRemove(KeyValuePair.Create(answer.Key, answer));
        return null;
    }

    /// <summary>Called on the MQTT client's thread: never blocks it (the installer reads the registry and the database).</summary>
    private void Enqueue(InstallRequest request)
    {
        if (!installs.Writer.TryWrite(request))
        {
            Log.InstallQueueFull(logger, request.ChannelId, request.Topic);
        }
    }

    private async Task InstallAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var request in installs.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    if (await installer.HandleAsync(request, stoppingToken) is { } answer)
                    {
                        feedback[answer.Key] = answer;
                        wake.Set();
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.InstallFailed(logger, e, request.ChannelId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task EndAsync(DiscoverySession session, bool removeEntities, CancellationToken cancellationToken)
    {
        sessions.Remove(session.ChannelId);
        try
        {
            if (removeEntities)
            {
                if (!session.Connected)
                {
                    await session.ConnectAsync(options.RequestTimeout, cancellationToken);
                }

                await session.RemoveAllAsync(cancellationToken);
            }

            await session.CloseAsync(cancellationToken);
        }
        catch (Exception e) when ((e is DiscoveryException || MqttConnection.IsConnectionFailure(e)) && !cancellationToken.IsCancellationRequested)
        {
            Log.DiscoveryFailed(logger, session.ChannelId, e.Message);
            await session.DisposeAsync();
        }
    }

    private ChannelSettings? Settings(ChannelRow row)
    {
        try
        {
            return channels.Decrypt(row);
        }
        catch (ChannelSecretsLostException e)
        {
            Log.DiscoveryFailed(logger, row.Id, e.Message);
            return null;
        }
    }

    /// <summary>Until the next interval, or sooner for a session waiting to retry.</summary>
    private TimeSpan NextWait()
    {
        var wait = jobsRunning && ProgressRefresh < options.DiscoveryInterval ? ProgressRefresh : options.DiscoveryInterval;
        foreach (var session in sessions.Values.Where(s => s.Failures > 0))
        {
            var until = session.RetryAt - timeProvider.GetUtcNow();
            wait = until < wait ? until : wait;
        }

        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
    }

    /// <summary>Anything that can change a container's entity wakes a pass (coalesced).</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var current = subscription ?? hub.Subscribe(null);
            subscription = null;
            try
            {
                await foreach (var domainEvent in current.ReadAllAsync(stoppingToken))
                {
                    if (domainEvent.Type is not (EventTypes.JobStep or EventTypes.JobProgress or EventTypes.AutomationDecision))
                    {
                        wake.Set();
                    }
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }

            // Fell behind: a full pass catches up with everything missed.
            wake.Set();
        }
    }
}
