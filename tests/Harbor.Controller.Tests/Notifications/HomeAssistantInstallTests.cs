using System.Net;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Harbor.Controller.Tests.Agents;
using Harbor.Controller.Tests.Checks;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>
/// Home Assistant's Install button against a real mosquitto: the command topic in discovery, a press
/// starting the update through the API's checks (audited as mqtt:&lt;channel&gt;), in_progress and pull
/// progress in the entity's state, and every press that must change nothing (installing off, retained,
/// repeated, notify-mode container).
/// </summary>
[Collection(nameof(OwnControllerTests))]
public sealed class HomeAssistantInstallTests(MqttFixture stack) : IClassFixture<MqttFixture>
{
    private const string Digest = "sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789";

    private readonly string prefix = TestNames.Unique("harbor");
    private readonly string discoveryPrefix = TestNames.Unique("ha");
    private readonly string channelName = TestNames.Unique("home-assistant");

    private ControllerHost Controller => stack.Controller;

    private Dictionary<string, string> Settings(bool allowInstall, string? installHostGroups = null)
    {
        var settings = new Dictionary<string, string>
        {
            ["host"] = "127.0.0.1",
            ["port"] = stack.Broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["username"] = stack.Broker.Username,
            ["password"] = stack.Broker.Password,
            ["topicPrefix"] = prefix,
            ["discoveryPrefix"] = discoveryPrefix,
            ["allowInstall"] = allowInstall ? "true" : "false",
        };
        if (installHostGroups is not null)
        {
            settings["installHostGroups"] = installHostGroups;
        }

        return settings;
    }

    private static JsonElement Json(MqttProbeMessage message) => JsonDocument.Parse(message.Payload).RootElement;

    /// <summary>An agent that can update, running the given containers (name → harbor.policy), each with an update available.</summary>
    private async Task<FakeAgent> AgentWithUpdatesAsync(params (string Name, string Policy)[] containers)
    {
        var agent = await FakeAgent.ConnectAsync(Controller, hostName: "nas", capabilities: ["updates.v1"]);
        await agent.SendSnapshotAsync(1, [.. containers.Select(c =>
        {
            var container = FakeAgent.Container("id-" + c.Name, c.Name);
            container.Labels["harbor.policy"] = c.Policy;
            return container;
        })]);
        await Controller.WaitForContainersAsync(agent.AgentId, containers.Length);
        foreach (var (name, _) in containers)
        {
            await MqttFixture.MarkUpdateAvailableAsync(Controller, agent.AgentId, "id-" + name, Digest);
        }

        return agent;
    }

    private async Task<List<JsonElement>> JobsAsync(string hostId) =>
        [.. (await Controller.GetJsonAsync<JsonElement>($"/api/v1/jobs?host={hostId}")).GetProperty("items").EnumerateArray()];

    private async Task<List<JsonElement>> AuditAsync() =>
        [.. (await Controller.GetJsonAsync<JsonElement>($"/api/v1/audit?actor=mqtt:{channelName}")).GetProperty("items").EnumerateArray()];

    private Task<CapturedLogs.LogLine?> WaitForLogAsync(string topic, string reason) =>
        Eventually.GetAsync(
            () => Task.FromResult(Controller.Logs.Lines.FirstOrDefault(l => l.EventId.Name == "InstallIgnored" && l.Message.Contains(topic, StringComparison.Ordinal) && l.Message.Contains(reason, StringComparison.Ordinal))),
            l => l is not null, TimeSpan.FromSeconds(20), $"the warning '{reason}'");

    private static async Task<UpdateCommand> ExpectUpdateCommandAsync(FakeAgent agent)
    {
        while (true)
        {
            var message = await agent.ReceiveAsync(TimeSpan.FromSeconds(20));
            if (message.BodyCase == ControllerMessage.BodyOneofCase.UpdateCommand)
            {
                return message.UpdateCommand;
            }
        }
    }

    [Fact]
    public async Task Install_AllowedAutoContainer_UpdateStartedAuditedAndInProgressUntilTheJobEnds()
    {
        await using var probe = await MqttProbe.SubscribeAsync(stack.Broker, $"{discoveryPrefix}/#", $"{prefix}/#");
        await using var agent = await AgentWithUpdatesAsync(("web", "auto"));
        var hostId = agent.AgentId;
        await NotificationFixture.CreateChannelAsync(Controller, "mqtt", Settings(allowInstall: true), channelName);

        var commandTopic = $"{prefix}/{hostId}/web/install";
        var stateTopic = $"{prefix}/{hostId}/web/state";
        var config = Json(await probe.WaitForAsync($"{discoveryPrefix}/update/harbor_{hostId}_web/config", m => m.Payload.Length > 0, "web's config"));
        Assert.Equal(commandTopic, config.GetProperty("command_topic").GetString());
        Assert.Equal("install", config.GetProperty("payload_install").GetString());
        var idle = Json(await probe.WaitForAsync(stateTopic, m => m.Payload.Contains("update-available", StringComparison.Ordinal), "web's state"));
        Assert.False(idle.GetProperty("in_progress").GetBoolean());

        await probe.PublishAsync(commandTopic, "install", retain: false);
        var command = await ExpectUpdateCommandAsync(agent);
        Assert.Equal("registry.local/app@" + Digest, command.TargetImage);
        await probe.WaitForAsync(stateTopic, m => Json(m).GetProperty("in_progress").GetBoolean(), "in_progress true while the job runs");

        var job = Assert.Single(await JobsAsync(hostId));
        Assert.Equal(command.JobId, job.GetProperty("id").GetString());
        Assert.Equal($"mqtt:{channelName}", job.GetProperty("requestedBy").GetString());
        Assert.Equal("home-assistant", job.GetProperty("trigger").GetString());
        var audited = Assert.Single(await AuditAsync());
        Assert.Equal(("system", "UpdateContainer", "success"),
            (audited.GetProperty("actorKind").GetString(), audited.GetProperty("action").GetString(), audited.GetProperty("outcome").GetString()));
        Assert.Contains(command.JobId, audited.GetProperty("detail").GetString());

        // Pressed again (or the broker redelivers): the running job is the answer, nothing new starts.
        await probe.PublishAsync(commandTopic, "install", retain: false);
        await WaitForLogAsync(commandTopic, "has not finished yet");
        Assert.Single(await JobsAsync(hostId));

        await agent.SendAsync(new AgentMessage { JobEvent = new JobEvent { JobId = command.JobId, Sequence = 1, Step = JobStep.Pull, Message = "pulling 2 layer(s)", Progress = 0.5 } });
        await probe.WaitForAsync(stateTopic, m => Json(m).GetProperty("update_percentage") is { ValueKind: JsonValueKind.Number } p && p.GetDouble() == 50, "pull progress 50 %");

        await agent.SendAsync(new AgentMessage
        {
            JobResult = new JobResult
            {
                JobId = command.JobId, Outcome = JobOutcome.Succeeded, ContainerId = new string('d', 64), ContainerName = "web", ToDigest = Digest,
                StartedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(-2)), FinishedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            },
        });
        var done = Json(await probe.WaitForAsync(stateTopic, m => !Json(m).GetProperty("in_progress").GetBoolean() && m.Payload.Contains("update_percentage\":null", StringComparison.Ordinal),
            "in_progress false once the job ended"));
        Assert.Equal(JsonValueKind.Null, done.GetProperty("update_percentage").ValueKind);
    }

    [Fact]
    public async Task Install_NotAllowedRetainedNotifyOrApproveMode_NoUpdateStarts()
    {
        await using var probe = await MqttProbe.SubscribeAsync(stack.Broker, $"{discoveryPrefix}/#", $"{prefix}/#");
        await using var agent = await AgentWithUpdatesAsync(("web", "auto"), ("notes", "notify"), ("ledger", "approve"));
        var hostId = agent.AgentId;
        var webCommand = $"{prefix}/{hostId}/web/install";
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "mqtt", Settings(allowInstall: false), channelName);

        // Installing off (the default): Home Assistant gets no Install button, and a press anyway is refused.
        var config = Json(await probe.WaitForAsync($"{discoveryPrefix}/update/harbor_{hostId}_web/config", m => m.Payload.Length > 0, "web's config"));
        Assert.False(config.TryGetProperty("command_topic", out _));
        await probe.PublishAsync(webCommand, "install", retain: false);
        await WaitForLogAsync(webCommand, "allowInstall");
        var refused = Assert.Single(await AuditAsync());
        Assert.Equal("failure", refused.GetProperty("outcome").GetString());

        using (var updated = await Controller.PutJsonAsync($"/api/v1/notifications/channels/{channelId}", new { name = channelName, settings = Settings(allowInstall: true) }))
        {
            Assert.True(updated.StatusCode == HttpStatusCode.OK, await updated.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        await probe.WaitForAsync($"{discoveryPrefix}/update/harbor_{hostId}_web/config", m => m.Payload.Contains("command_topic", StringComparison.Ordinal), "the Install button offered");

        // A retained command (the broker would replay it on every reconnect) is never acted on.
        await probe.PublishAsync(webCommand, "install", retain: true);
        await WaitForLogAsync(webCommand, "retained");
        await probe.PublishAsync(webCommand, "", retain: true);

        // notify promises not to touch the container: refused, audited, said in the log.
        var notesCommand = $"{prefix}/{hostId}/notes/install";
        await probe.PublishAsync(notesCommand, "install", retain: false);
        var notes = await Eventually.GetAsync(
            async () => (await AuditAsync()).FirstOrDefault(a => a.GetProperty("target").GetString()!.Contains("notes", StringComparison.Ordinal)),
            a => a.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(20), "the notify container's refusal audited");
        Assert.Equal("failure", notes.GetProperty("outcome").GetString());
        Assert.Contains("policy mode notify", notes.GetProperty("detail").GetString());
        Assert.Contains(Controller.Logs.Lines, l => l.EventId.Name == "InstallRefused" && l.Message.Contains("notes", StringComparison.Ordinal));
        // ...and said in Home Assistant, where the button was pressed: the entity's release summary.
        var notesState = Json(await probe.WaitForAsync($"{prefix}/{hostId}/notes/state", m => m.Payload.Contains("Install refused", StringComparison.Ordinal), "the refusal in notes' state"));
        Assert.StartsWith("Install refused: 'notes' has policy mode notify", notesState.GetProperty("release_summary").GetString(), StringComparison.Ordinal);

        // approve: the press asks for the approval a user then decides; it does not bypass it.
        await probe.PublishAsync($"{prefix}/{hostId}/ledger/install", "install", retain: false);
        var approval = await Eventually.GetAsync(
            async () => (await Controller.GetJsonAsync<List<JsonElement>>($"/api/v1/approvals?host={hostId}")).FirstOrDefault(),
            a => a.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(20), "an approval for ledger");
        Assert.Equal(("ledger", "pending", Digest),
            (approval.GetProperty("containerName").GetString(), approval.GetProperty("state").GetString(), approval.GetProperty("targetDigest").GetString()));
        Assert.Contains(await AuditAsync(), a => a.GetProperty("action").GetString() == "RequestApproval" && a.GetProperty("outcome").GetString() == "success");
        var ledgerState = Json(await probe.WaitForAsync($"{prefix}/{hostId}/ledger/state", m => m.Payload.Contains("Waiting for approval", StringComparison.Ordinal), "the approval in ledger's state"));
        Assert.Contains(approval.GetProperty("id").GetString()!, ledgerState.GetProperty("release_summary").GetString(), StringComparison.Ordinal);

        Assert.Empty(await JobsAsync(hostId));
    }

    [Fact]
    public async Task Install_ChannelLimitedToHostGroups_OffersAndInstallsOnlyOnThoseHosts()
    {
        await using var probe = await MqttProbe.SubscribeAsync(stack.Broker, $"{discoveryPrefix}/#", $"{prefix}/#");
        await using var lab = await AgentWithUpdatesAsync(("web", "auto"));
        await using var prod = await AgentWithUpdatesAsync(("shop", "auto"));
        var labGroup = TestNames.Unique("lab");
        foreach (var (agent, group) in new[] { (lab, labGroup), (prod, TestNames.Unique("prod")) })
        {
            using var put = await Controller.PutJsonAsync($"/api/v1/hosts/{agent.AgentId}/group", new { group });
            Assert.True(put.IsSuccessStatusCode, await put.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        // A list with an empty name is a mistake the API explains.
        using (var bad = await Controller.PostJsonAsync("/api/v1/notifications/channels", new { name = channelName + "-bad", type = "mqtt", settings = Settings(true, "lab,,prod") }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("installHostGroups", await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        await NotificationFixture.CreateChannelAsync(Controller, "mqtt", Settings(allowInstall: true, installHostGroups: $" {labGroup} , other"), channelName);

        // The lab host's container gets the Install button, the prod host's does not.
        var labConfig = Json(await probe.WaitForAsync($"{discoveryPrefix}/update/harbor_{lab.AgentId}_web/config", m => m.Payload.Length > 0, "web's config"));
        var prodConfig = Json(await probe.WaitForAsync($"{discoveryPrefix}/update/harbor_{prod.AgentId}_shop/config", m => m.Payload.Length > 0, "shop's config"));
        Assert.Equal($"{prefix}/{lab.AgentId}/web/install", labConfig.GetProperty("command_topic").GetString());
        Assert.False(prodConfig.TryGetProperty("command_topic", out _));

        // A press for the prod container anyway (anyone on the broker can publish) is refused like a user outside the group.
        await probe.PublishAsync($"{prefix}/{prod.AgentId}/shop/install", "install", retain: false);
        var refused = await Eventually.GetAsync(
            async () => (await AuditAsync()).FirstOrDefault(a => a.GetProperty("target").GetString()!.Contains("shop", StringComparison.Ordinal)),
            a => a.ValueKind == JsonValueKind.Object, TimeSpan.FromSeconds(20), "the prod press refused and audited");
        Assert.Equal(("failure", 403), (refused.GetProperty("outcome").GetString(), refused.GetProperty("statusCode").GetInt32()));
        Assert.Contains("installHostGroups", refused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Empty(await JobsAsync(prod.AgentId));
        await probe.WaitForAsync($"{prefix}/{prod.AgentId}/shop/state",
            m => m.Payload.Contains("Install refused: host", StringComparison.Ordinal) && m.Payload.Contains("installHostGroups", StringComparison.Ordinal), "the refusal in shop's state");

        // The lab container installs.
        await probe.PublishAsync($"{prefix}/{lab.AgentId}/web/install", "install", retain: false);
        var command = await ExpectUpdateCommandAsync(lab);
        Assert.Equal("registry.local/app@" + Digest, command.TargetImage);
    }
}
