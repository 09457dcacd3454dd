using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Controller.Tests.Agents;
using Harbor.Controller.Tests.Checks;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>
/// The MQTT channel against a real mosquitto, read back by an independent subscriber: Home Assistant
/// discovery (update entities, state, availability), removal, and notification events.
/// </summary>
[Collection(nameof(OwnControllerTests))]
public sealed class MqttChannelTests(MqttFixture stack) : IClassFixture<MqttFixture>
{
    private ControllerHost Controller => stack.Controller;

    private MqttBroker Broker => stack.Broker;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Topic prefixes of this test only: tests share the broker.</summary>
    private readonly string prefix = TestNames.Unique("harbor");
    private readonly string discoveryPrefix = TestNames.Unique("ha");

    private object Settings(string? password = null, bool discovery = true) => new
    {
        host = "127.0.0.1",
        port = Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        username = Broker.Username,
        password = password ?? Broker.Password,
        topicPrefix = prefix,
        discoveryPrefix,
        discovery = discovery ? "true" : "false",
    };

    private string ConfigTopic(string hostId, string container) => $"{discoveryPrefix}/update/harbor_{hostId}_{container}/config";

    private static JsonElement Json(MqttProbeMessage message) => JsonDocument.Parse(message.Payload).RootElement;

    [Fact]
    public async Task Discovery_ContainersOfAHost_RetainedUpdateEntitiesWhoseStateFollowsChecksAndRemoval()
    {
        await using var probe = await MqttProbe.SubscribeAsync(Broker, $"{discoveryPrefix}/#", $"{prefix}/#");
        await using var agent = await FakeAgent.ConnectAsync(Controller, hostName: "nas");
        var hostId = agent.AgentId;
        await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"), FakeAgent.Container("c2", "worker"));
        await Controller.WaitForContainersAsync(hostId, 2);
        await NotificationFixture.CreateChannelAsync(Controller, "mqtt", Settings());

        var config = await probe.WaitForAsync(ConfigTopic(hostId, "web"), m => m.Payload.Length > 0, "web's discovery config");
        Assert.True(config.Retained);
        var entity = Json(config);
        Assert.Equal("web", entity.GetProperty("name").GetString());
        Assert.Equal($"harbor_{hostId}_web", entity.GetProperty("unique_id").GetString());
        var stateTopic = $"{prefix}/{hostId}/web/state";
        Assert.Equal(stateTopic, entity.GetProperty("state_topic").GetString());
        Assert.Equal($"{prefix}/status", entity.GetProperty("availability_topic").GetString());
        Assert.Equal($"harbor_{hostId}", entity.GetProperty("device").GetProperty("identifiers")[0].GetString());
        Assert.Equal("Harbor nas", entity.GetProperty("device").GetProperty("name").GetString());
        await probe.WaitForAsync(ConfigTopic(hostId, "worker"), m => m.Payload.Length > 0, "worker's discovery config");
        Assert.Equal("online", (await probe.WaitForAsync($"{prefix}/status", m => m.Retained || m.Payload == "online", "availability")).Payload);

        var state = Json(await probe.WaitForAsync(stateTopic, m => m.Payload.Length > 0, "web's state"));
        Assert.Equal("1 (000000000000)", state.GetProperty("installed_version").GetString());
        Assert.Equal(state.GetProperty("installed_version").GetString(), state.GetProperty("latest_version").GetString());

        // A check found a newer digest for web.
        await MqttFixture.MarkUpdateAvailableAsync(Controller, hostId, "c1", "sha256:abcdef012345" + new string('9', 52));

        NotificationFixture.Publish(Controller, "container.update-status", hostId, new { containerId = "c1" });
        var updated = Json(await probe.WaitForAsync(stateTopic, m => m.Payload.Contains("abcdef012345", StringComparison.Ordinal), "web's state with the update"));
        Assert.Equal("1 (abcdef012345)", updated.GetProperty("latest_version").GetString());
        Assert.Equal("1 (000000000000)", updated.GetProperty("installed_version").GetString());
        Assert.Equal("update-available", updated.GetProperty("status").GetString());

        await agent.SendDeltaAsync(2, [], "c2");
        var removed = await probe.WaitForAsync(ConfigTopic(hostId, "worker"), m => m.Payload.Length == 0, "worker's config removed");
        Assert.True(removed.Retained);

        // What Home Assistant sees when it (re)subscribes: web's entity, no worker.
        await using var late = await MqttProbe.SubscribeAsync(Broker, $"{discoveryPrefix}/update/+/config");
        await late.WaitForAsync(ConfigTopic(hostId, "web"), m => m.Retained, "web's retained config");
        Assert.DoesNotContain(late.Messages, m => m.Topic == ConfigTopic(hostId, "worker"));
    }

    [Fact]
    public async Task Discovery_LeftoverOfAnEarlierRunAndChannelDeleted_EntitiesRemovedAndControllerOffline()
    {
        await using var probe = await MqttProbe.SubscribeAsync(Broker, $"{discoveryPrefix}/#", $"{prefix}/#");
        // An entity Harbor published before a restart for a container that is gone, and one that is not Harbor's.
        var gone = $"{discoveryPrefix}/update/harbor_oldhost_gone/config";
        var foreign = $"{discoveryPrefix}/update/harbor_router_firmware/config";
        await probe.PublishAsync(gone, JsonSerializer.Serialize(new { name = "gone", unique_id = "harbor_oldhost_gone", state_topic = $"{prefix}/oldhost/gone/state", origin = new { name = "Harbor" } }), retain: true);
        await probe.PublishAsync(foreign, JsonSerializer.Serialize(new { name = "firmware", origin = new { name = "Other" } }), retain: true);
        await using var agent = await FakeAgent.ConnectAsync(Controller, hostName: "pi");
        await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "app"));
        await Controller.WaitForContainersAsync(agent.AgentId, 1);

        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "mqtt", Settings());
        await probe.WaitForAsync(gone, m => m.Payload.Length == 0, "the leftover entity removed");
        await probe.WaitForAsync(ConfigTopic(agent.AgentId, "app"), m => m.Payload.Length > 0, "app's config");
        Assert.All(probe.Messages.Where(m => m.Topic == foreign), m => Assert.NotEmpty(m.Payload));

        using var deleted = await Controller.Api.DeleteAsync($"/api/v1/notifications/channels/{channelId}", Token);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await probe.WaitForAsync(ConfigTopic(agent.AgentId, "app"), m => m.Payload.Length == 0, "app's config removed with the channel");
        await probe.WaitForAsync($"{prefix}/status", m => m.Payload == "offline", "the controller offline");
    }

    [Fact]
    public async Task Events_JobFailedRule_PublishedAsJsonOnTheEventsTopicAndDelivered()
    {
        await using var probe = await MqttProbe.SubscribeAsync(Broker, $"{prefix}/events/#");
        var hostId = TestNames.Unique("host");
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "mqtt", Settings(discovery: false));
        await NotificationFixture.CreateRuleAsync(Controller, channelId, ["job.*"], hostId: hostId);

        NotificationFixture.Publish(Controller, "job.failed", hostId, new { containerName = "web", reason = "verification timed out" });
        var message = await probe.WaitForAsync($"{prefix}/events/job.failed", _ => true, "the job.failed event");
        Assert.False(message.Retained);
        var payload = Json(message);
        Assert.Equal("job.failed", payload.GetProperty("type").GetString());
        Assert.Equal("Update failed: web", payload.GetProperty("title").GetString());
        Assert.Equal("error", payload.GetProperty("severity").GetString());
        Assert.Equal(hostId, payload.GetProperty("hostId").GetString());
        Assert.Equal("verification timed out", payload.GetProperty("event").GetProperty("reason").GetString());

        var delivered = await Eventually.GetAsync(
            async () => (await NotificationFixture.OutboxAsync(Controller, "delivered")).FirstOrDefault(m => m.GetProperty("hostId").GetString() == hostId),
            m => m.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(20), "the message delivered");
        Assert.Equal(delivered.GetProperty("id").GetString(), payload.GetProperty("id").GetString());
        // Discovery off: nothing but events on this prefix.
        Assert.DoesNotContain(probe.Messages, m => !m.Topic.StartsWith($"{prefix}/events/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_WrongPassword_DeadLetterAtOnceWithTheBrokersReason()
    {
        var hostId = TestNames.Unique("host");
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "mqtt", Settings(password: "wrong-password", discovery: false));
        await NotificationFixture.CreateRuleAsync(Controller, channelId, ["job.*"], hostId: hostId);

        NotificationFixture.Publish(Controller, "job.succeeded", hostId, new { containerName = "web" });
        var dead = await Eventually.GetAsync(
            async () => (await NotificationFixture.OutboxAsync(Controller, "dead")).FirstOrDefault(m => m.GetProperty("hostId").GetString() == hostId),
            m => m.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(20), "the message dead-lettered");
        Assert.Equal(1, dead.GetProperty("attempts").GetInt32());
        Assert.Matches("refused the connection: (BadUserNameOrPassword|NotAuthorized)", dead.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task CreateChannel_PasswordMaskedAndWildcardPrefixRefused()
    {
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "mqtt", Settings(discovery: false));
        var shown = await Controller.GetJsonAsync<JsonElement>($"/api/v1/notifications/channels/{channelId}");
        Assert.Equal("********", shown.GetProperty("settings").GetProperty("password").GetString());

        using var response = await Controller.PostJsonAsync("/api/v1/notifications/channels",
            new { name = TestNames.Unique("mqtt"), type = "mqtt", settings = new { host = "127.0.0.1", topicPrefix = "harbor/#", discovery = "maybe" } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("errors");
        Assert.Contains("wildcards", errors.GetProperty("settings.topicPrefix")[0].GetString());
        Assert.Contains("true or false", errors.GetProperty("settings.discovery")[0].GetString());
    }
}
