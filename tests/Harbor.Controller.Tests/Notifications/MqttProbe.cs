using System.Collections.Concurrent;
using Harbor.Testing;
using MQTTnet;
using MQTTnet.Protocol;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>An independent MQTT subscriber (MQTTnet) that records what the broker hands it, retained flag included.</summary>
public sealed class MqttProbe : IAsyncDisposable
{
    private readonly IMqttClient client;
    private readonly ConcurrentQueue<MqttProbeMessage> messages = new();

    private MqttProbe(IMqttClient client)
    {
        this.client = client;
        client.ApplicationMessageReceivedAsync += e =>
        {
            messages.Enqueue(new MqttProbeMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.ConvertPayloadToString() ?? "", e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
    }

    public IReadOnlyList<MqttProbeMessage> Messages => [.. messages];

    public static async Task<MqttProbe> SubscribeAsync(MqttBroker broker, params string[] filters)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var probe = new MqttProbe(client);
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithCredentials(broker.Username, broker.Password)
            .WithClientId("probe-" + Guid.NewGuid().ToString("N")[..8]).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        var subscribe = new MqttClientSubscribeOptionsBuilder();
        foreach (var filter in filters)
        {
            // Retain as published (MQTT 5): the test sees whether a live message was sent retained.
            subscribe.WithTopicFilter(new MqttTopicFilterBuilder().WithTopic(filter).WithAtLeastOnceQoS().WithRetainAsPublished().Build());
        }

        await client.SubscribeAsync(subscribe.Build());
        return probe;
    }

    /// <summary>Publishes as another client would (e.g. what an earlier Harbor run left behind).</summary>
    public Task PublishAsync(string topic, string payload, bool retain) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    /// <summary>The latest message on <paramref name="topic"/>, once one satisfies <paramref name="until"/>.</summary>
    public async Task<MqttProbeMessage> WaitForAsync(string topic, Func<MqttProbeMessage, bool> until, string what) =>
        (await Eventually.GetAsync(
            () => Task.FromResult(Messages.LastOrDefault(m => m.Topic == topic)),
            m => m is not null && until(m),
            TimeSpan.FromSeconds(20),
            what))!;

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync();
        }

        client.Dispose();
    }
}

public sealed record MqttProbeMessage(string Topic, string Payload, bool Retained);
