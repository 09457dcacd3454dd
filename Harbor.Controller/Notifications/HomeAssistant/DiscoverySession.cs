using System.Collections.Concurrent;
using System.Text.Json;
using Harbor.Controller.Notifications.Channels;
using MQTTnet;
using MQTTnet.Protocol;

namespace Harbor.Controller.Notifications.HomeAssistant;

/// <summary>
/// One MQTT channel's connection for Home Assistant discovery: its last will marks the controller
/// offline, and it remembers which entities it published so that only changes are sent and
/// entities of removed containers are deleted (an empty retained config). It also listens on the
/// entities' command topics and hands every message there to <paramref name="onInstall"/>.
/// </summary>
internal sealed class DiscoverySession(string channelId, string channelName, string version, ChannelSettings settings, Action<InstallRequest> onInstall) : IAsyncDisposable
{
    private readonly Dictionary<string, UpdateEntity> published = new(StringComparer.Ordinal);

    // Command topic → container, read on the MQTT client's thread while a pass writes it.
    private readonly ConcurrentDictionary<string, (string HostId, string ContainerName)> commands = new(StringComparer.Ordinal);
    private IMqttClient? client;

    public string ChannelId { get; } = channelId;

    public string ChannelName { get; } = channelName;

    /// <summary>The channel's updated_at when the session was made: a newer one means new settings, so a new session.</summary>
    public string Version { get; } = version;

    public ChannelSettings Settings { get; } = settings;

    public bool Connected => client?.IsConnected == true;

    public int Failures { get; set; }

    public DateTimeOffset RetryAt { get; set; }

    public string DiscoveryPrefix => MqttChannel.DiscoveryPrefix(Settings);

    public string TopicPrefix => MqttConnection.TopicPrefix(Settings);

    public string AvailabilityTopic => MqttConnection.AvailabilityTopic(Settings);

    public bool InstallAllowed => MqttChannel.InstallAllowed(Settings);

    public IReadOnlyList<string> InstallHostGroups => MqttChannel.InstallHostGroups(Settings);

    /// <summary>Whether a container on a host of this group gets the Install button.</summary>
    public bool InstallsOn(string? hostGroup) => InstallAllowed && MqttChannel.InstallsOn(InstallHostGroups, hostGroup);

    private string CommandFilter => $"{TopicPrefix}/+/+/{UpdateEntity.CommandLevel}";

    /// <summary>
    /// Connects (last will "offline"), learns which Harbor entities the broker still keeps from
    /// earlier runs (so that containers removed while the controller was down are deleted too), and
    /// says "online".
    /// </summary>
    public async Task ConnectAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        await CloseClientAsync();
        published.Clear();
        var trust = ServerTrust.From(Settings);
        client = new MqttClientFactory().CreateMqttClient();
        var clientId = $"harbor-{ChannelId}";
        var marker = $"{TopicPrefix}/sync/{Guid.NewGuid():N}";
        var synced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ApplicationMessageReceivedAsync += e =>
        {
            var topic = e.ApplicationMessage.Topic;
            if (topic == marker)
            {
                synced.TrySetResult();
            }
            else if (IsCommand(topic))
            {
                var target = commands.TryGetValue(topic, out var known) ? known : default;
                onInstall(new InstallRequest(ChannelId, ChannelName, InstallAllowed, InstallHostGroups, topic, target.HostId, target.ContainerName,
                    e.ApplicationMessage.ConvertPayloadToString() ?? "", e.ApplicationMessage.Retain));
            }
            else if (Learned(topic, e.ApplicationMessage.ConvertPayloadToString()) is { } entity)
            {
                published[entity.ObjectId] = entity;
            }

            return Task.CompletedTask;
        };

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        if (await MqttConnection.ConnectAsync(client, MqttConnection.Options(Settings, clientId, timeout, trust, withWill: true), Settings, trust, deadline.Token, cancellationToken) is { } refused)
        {
            throw new DiscoveryException(refused.Error!, null);
        }

        // The broker sends retained messages in order on this connection: once the marker published
        // after the subscription comes back, every retained config has arrived.
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter($"{DiscoveryPrefix}/update/+/config", MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTopicFilter(marker, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build(), deadline.Token);
        await PublishAsync(marker, "sync", retain: false, deadline.Token);
        await synced.Task.WaitAsync(deadline.Token);
        await client.UnsubscribeAsync(new MqttClientUnsubscribeOptionsBuilder().WithTopicFilter($"{DiscoveryPrefix}/update/+/config").WithTopicFilter(marker).Build(), deadline.Token);
        // Home Assistant's Install button. Retained commands are never wanted: not sent on subscribe, and
        // retain-as-published shows the flag of any that arrive live so the installer can drop them.
        await client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(new MqttTopicFilterBuilder().WithTopic(CommandFilter).WithAtLeastOnceQoS().WithRetainAsPublished()
                .WithRetainHandling(MqttRetainHandling.DoNotSendOnSubscribe).Build())
            .Build(), deadline.Token);
        await PublishAsync(AvailabilityTopic, "online", retain: true, deadline.Token);
    }

    /// <summary>Publishes what changed since the last pass and deletes entities that are no longer wanted; returns (published, removed).</summary>
    public async Task<(int Published, int Removed)> ReconcileAsync(IReadOnlyCollection<UpdateEntity> desired, CancellationToken cancellationToken)
    {
        int changed = 0, removed = 0;
        var wanted = desired.Select(e => e.ObjectId).ToHashSet(StringComparer.Ordinal);
        foreach (var stale in published.Values.Where(e => !wanted.Contains(e.ObjectId)).ToList())
        {
            await PublishAsync(stale.ConfigTopic, "", retain: true, cancellationToken);
            if (stale.StateTopic.Length > 0)
            {
                await PublishAsync(stale.StateTopic, "", retain: true, cancellationToken);
            }

            published.Remove(stale.ObjectId);
            if (stale.CommandTopic is not null)
            {
                commands.TryRemove(stale.CommandTopic, out _);
            }

            removed++;
        }

        foreach (var entity in desired)
        {
            if (entity is { CommandTopic: { } command, HostId: { } hostId, ContainerName: { } name })
            {
                commands[command] = (hostId, name);
            }

            var before = published.GetValueOrDefault(entity.ObjectId);
            if (before == entity)
            {
                continue;
            }

            // The config first: Home Assistant subscribes to the state topic it names.
            if (before?.Config != entity.Config)
            {
                await PublishAsync(entity.ConfigTopic, entity.Config, retain: true, cancellationToken);
            }

            if (before?.State != entity.State || before.StateTopic != entity.StateTopic)
            {
                await PublishAsync(entity.StateTopic, entity.State, retain: true, cancellationToken);
            }

            published[entity.ObjectId] = entity;
            changed++;
        }

        return (changed, removed);
    }

    /// <summary>Deletes every entity this session published (the channel was deleted, disabled or its discovery turned off).</summary>
    public Task RemoveAllAsync(CancellationToken cancellationToken) => ReconcileAsync([], cancellationToken);

    /// <summary>Says "offline" (what the last will would say) and disconnects.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        if (Connected)
        {
            await PublishAsync(AvailabilityTopic, "offline", retain: true, cancellationToken);
        }

        await CloseClientAsync();
    }

    private async Task PublishAsync(string topic, string payload, bool retain, CancellationToken cancellationToken)
    {
        var result = await client!.PublishAsync(
            new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(),
            cancellationToken);
        if (!result.IsSuccess && result.ReasonCode != MqttClientPublishReasonCode.NoMatchingSubscribers)
        {
            throw new DiscoveryException($"The MQTT broker refused a message on {topic}: {result.ReasonCode} {result.ReasonString}".TrimEnd(), null);
        }
    }

    /// <summary>&lt;topicPrefix&gt;/&lt;host&gt;/&lt;container&gt;/install.</summary>
    private bool IsCommand(string topic) =>
        topic.StartsWith(TopicPrefix + "/", StringComparison.Ordinal)
        && topic.EndsWith("/" + UpdateEntity.CommandLevel, StringComparison.Ordinal)
        && topic[(TopicPrefix.Length + 1)..].Split('/').Length == 3;

    /// <summary>A retained config of an entity Harbor published earlier (unique_id harbor_…), as something to remove if no longer wanted.</summary>
    private static UpdateEntity? Learned(string topic, string payload)
    {
        var parts = topic.Split('/');
        if (parts.Length < 3 || !parts[^2].StartsWith(UpdateEntity.ObjectIdPrefix, StringComparison.Ordinal) || payload.Length == 0)
        {
            return null;
        }

        try
        {
            using var config = JsonDocument.Parse(payload);
            var root = config.RootElement;
            var ours = root.TryGetProperty("origin", out var origin) && origin.TryGetProperty("name", out var name) && name.GetString() == "Harbor";
            var stateTopic = root.TryGetProperty("state_topic", out var state) ? state.GetString() ?? "" : "";
            return ours ? new UpdateEntity(parts[^2], topic, stateTopic, payload, "") : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task CloseClientAsync()
    {
        if (client is null)
        {
            return;
        }

        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build());
            }
        }
        catch (Exception e) when (MqttConnection.IsConnectionFailure(e))
        {
            // Going away anyway; the broker's last will covers an unclean end.
        }

        client.Dispose();
        client = null;
    }

    public ValueTask DisposeAsync() => new(CloseClientAsync());
}
