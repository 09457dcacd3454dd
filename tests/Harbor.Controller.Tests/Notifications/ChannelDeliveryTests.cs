using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Harbor.Controller.Tests.Checks;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>
/// Each channel's exact request, as a real local receiver records it: an event published inside the
/// controller goes through rules, outbox and dispatcher to the channel's HTTP shape.
/// </summary>
[Collection(nameof(OwnControllerTests))]
public sealed class ChannelDeliveryTests(NotificationFixture stack) : IClassFixture<NotificationFixture>
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

    private ControllerHost Controller => stack.Controller;

    /// <summary>Routes job.failed of a fresh host to the channel, publishes one and returns the one request it caused.</summary>
    private async Task<(RecordedRequest Request, string HostId)> DeliverJobFailedAsync(RecordingReceiver receiver, string type, object settings)
    {
        var hostId = TestNames.Unique("host");
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, type, settings);
        await NotificationFixture.CreateRuleAsync(Controller, channelId, ["job.failed"], hostId: hostId);
        NotificationFixture.Publish(Controller, "job.failed", hostId, new { hostId, hostName = "nas", containerName = "web", image = "nginx:1.27", reason = "exited with code 1", jobId = "job-7" });
        var requests = await receiver.WaitForAsync(1);
        return (Assert.Single(requests), hostId);
    }

    [Fact]
    public async Task Webhook_JobFailed_PostsStandardWebhookSignedWithHmac()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var (request, hostId) = await DeliverJobFailedAsync(receiver, "webhook", new { url = receiver.Url("/hooks/harbor?x=1"), secret = Secret });

        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/harbor", request.Path);
        Assert.Equal("?x=1", request.Query);
        Assert.StartsWith("application/json", request.Header("content-type"));
        var id = request.Header("webhook-id")!;
        var timestamp = request.Header("webhook-timestamp")!;
        Assert.Equal(stack.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);

        // Verified the way a receiver would, straight from the Standard Webhooks spec: HMAC-SHA256 over "id.timestamp.body"
        // with the base64-decoded part of the whsec_ secret.
        using var hmac = new HMACSHA256(Convert.FromBase64String(Secret["whsec_".Length..]));
        var expected = "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{id}.{timestamp}.{request.Body}")));
        Assert.Equal(expected, request.Header("webhook-signature"));

        var body = request.Json;
        Assert.Equal("job.failed", body.GetProperty("type").GetString());
        Assert.Equal("2026-03-01T12:00:00Z", body.GetProperty("timestamp").GetString());
        var data = body.GetProperty("data");
        Assert.Equal(id, data.GetProperty("id").GetString());
        Assert.Equal("Update failed: web", data.GetProperty("title").GetString());
        Assert.Equal("Updating web on nas failed: exited with code 1", data.GetProperty("body").GetString());
        Assert.Equal("error", data.GetProperty("severity").GetString());
        Assert.Equal(hostId, data.GetProperty("hostId").GetString());
        Assert.Equal("job-7", data.GetProperty("event").GetProperty("jobId").GetString());

        var delivered = await Eventually.GetAsync(() => NotificationFixture.OutboxAsync(Controller, "delivered"),
            list => list.Any(m => m.GetProperty("id").GetString() == id), TimeSpan.FromSeconds(5), "the message is marked delivered");
        Assert.Equal(1, delivered.Single(m => m.GetProperty("id").GetString() == id).GetProperty("attempts").GetInt32());
    }

    [Fact]
    public async Task Webhook_TamperedBody_SignatureNoLongerMatches()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var (request, _) = await DeliverJobFailedAsync(receiver, "webhook", new { url = receiver.Url("/h"), secret = "a-plain-text-secret-0123" });

        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes("a-plain-text-secret-0123"));
        string Sign(string body) => "v1," + Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes($"{request.Header("webhook-id")}.{request.Header("webhook-timestamp")}.{body}")));
        Assert.Equal(Sign(request.Body), request.Header("webhook-signature"));
        Assert.NotEqual(Sign(request.Body.Replace("web", "db", StringComparison.Ordinal)), request.Header("webhook-signature"));
    }

    [Fact]
    public async Task Slack_JobFailed_PostsHeaderSectionAndContextBlocks()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var (request, _) = await DeliverJobFailedAsync(receiver, "slack", new { url = receiver.Url("/services/T000/B000/XXXX") });

        Assert.Equal("/services/T000/B000/XXXX", request.Path);
        var body = request.Json;
        Assert.Equal("Update failed: web", body.GetProperty("text").GetString());
        var blocks = body.GetProperty("blocks");
        Assert.Equal(3, blocks.GetArrayLength());
        Assert.Equal("header", blocks[0].GetProperty("type").GetString());
        Assert.Equal("plain_text", blocks[0].GetProperty("text").GetProperty("type").GetString());
        Assert.Equal("Update failed: web", blocks[0].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("section", blocks[1].GetProperty("type").GetString());
        Assert.Equal("mrkdwn", blocks[1].GetProperty("text").GetProperty("type").GetString());
        Assert.Equal("Updating web on nas failed: exited with code 1", blocks[1].GetProperty("text").GetProperty("text").GetString());
        Assert.Equal("context", blocks[2].GetProperty("type").GetString());
        Assert.Equal("Harbor · job.failed", blocks[2].GetProperty("elements")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Discord_JobFailed_PostsOneRedEmbed()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var (request, _) = await DeliverJobFailedAsync(receiver, "discord", new { url = receiver.Url("/api/webhooks/123/tok"), username = "Harbor" });

        Assert.Equal("/api/webhooks/123/tok", request.Path);
        var body = request.Json;
        Assert.Equal("Harbor", body.GetProperty("username").GetString());
        var embed = Assert.Single(body.GetProperty("embeds").EnumerateArray());
        Assert.Equal("Update failed: web", embed.GetProperty("title").GetString());
        Assert.Equal("Updating web on nas failed: exited with code 1", embed.GetProperty("description").GetString());
        Assert.Equal(0xD93F0B, embed.GetProperty("color").GetInt32());
        Assert.Equal("2026-03-01T12:00:00Z", embed.GetProperty("timestamp").GetString());
        Assert.Equal("Harbor · job.failed", embed.GetProperty("footer").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Ntfy_JobFailed_PublishesJsonWithBearerToken()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var (request, _) = await DeliverJobFailedAsync(receiver, "ntfy", new { url = receiver.Url("/"), topic = "harbor-alerts", token = "tk_secret123" });

        Assert.Equal("/", request.Path);
        Assert.Equal("Bearer tk_secret123", request.Header("authorization"));
        var body = request.Json;
        Assert.Equal("harbor-alerts", body.GetProperty("topic").GetString());
        Assert.Equal("Update failed: web", body.GetProperty("title").GetString());
        Assert.Equal("Updating web on nas failed: exited with code 1", body.GetProperty("message").GetString());
        Assert.Equal(4, body.GetProperty("priority").GetInt32());
        Assert.Equal(["harbor", "error"], body.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!));
    }

    [Fact]
    public async Task Ntfy_UserAndPassword_SendsBasicAuthAndConfiguredPriority()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var (request, _) = await DeliverJobFailedAsync(receiver, "ntfy", new { url = receiver.Url("/"), topic = "t", username = "ann", password = "pw", priority = "2" });

        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("ann:pw")), request.Header("authorization"));
        Assert.Equal(2, request.Json.GetProperty("priority").GetInt32());
    }

    [Fact]
    public async Task Gotify_JobFailed_PostsMessageWithAppTokenHeader()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var (request, _) = await DeliverJobFailedAsync(receiver, "gotify", new { url = receiver.Url("/gotify/"), token = "AppTokenXyz" });

        Assert.Equal("/gotify/message", request.Path);
        Assert.Equal("", request.Query);
        Assert.Equal("AppTokenXyz", request.Header("x-gotify-key"));
        var body = request.Json;
        Assert.Equal("Update failed: web", body.GetProperty("title").GetString());
        Assert.Equal("Updating web on nas failed: exited with code 1", body.GetProperty("message").GetString());
        Assert.Equal(8, body.GetProperty("priority").GetInt32());
        Assert.Equal("text/plain", body.GetProperty("extras").GetProperty("client::display").GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task Teams_JobFailed_PostsAdaptiveCard()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var (request, hostId) = await DeliverJobFailedAsync(receiver, "teams", new { url = receiver.Url("/workflows/abc/triggers/manual/paths/invoke?sig=s1") });

        Assert.Equal("/workflows/abc/triggers/manual/paths/invoke", request.Path);
        var body = request.Json;
        Assert.Equal("message", body.GetProperty("type").GetString());
        var attachment = Assert.Single(body.GetProperty("attachments").EnumerateArray());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        var blocks = card.GetProperty("body");
        Assert.Equal("Update failed: web", blocks[0].GetProperty("text").GetString());
        Assert.Equal("Attention", blocks[0].GetProperty("color").GetString());
        Assert.Equal("Updating web on nas failed: exited with code 1", blocks[1].GetProperty("text").GetString());
        var facts = blocks[2].GetProperty("facts").EnumerateArray().ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString());
        Assert.Equal("job.failed", facts["Event"]);
        Assert.Equal(hostId, facts["Host"]);
    }

    [Fact]
    public async Task Telegram_JobFailed_CallsSendMessageOnTheConfiguredApi()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var (request, _) = await DeliverJobFailedAsync(receiver, "telegram", new { token = "123456:ABC-def", chatId = "-100200300", apiUrl = receiver.Url("/") });

        Assert.Equal("/bot123456:ABC-def/sendMessage", request.Path);
        var body = request.Json;
        Assert.Equal("-100200300", body.GetProperty("chat_id").GetString());
        Assert.Equal("Update failed: web\n\nUpdating web on nas failed: exited with code 1", body.GetProperty("text").GetString());
        Assert.True(body.GetProperty("disable_web_page_preview").GetBoolean());
        Assert.False(body.TryGetProperty("parse_mode", out _));
    }

    [Fact]
    public async Task Rules_HostAndProjectFilters_OnlyMatchingEventsAreSent()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var hostId = TestNames.Unique("host");
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "slack", new { url = receiver.Url("/s") });
        await NotificationFixture.CreateRuleAsync(Controller, channelId, ["job.*"], hostId: hostId, project: "shop");
        // A second rule to the same channel for the same event: the channel still gets it once (idempotency key = event + channel).
        await NotificationFixture.CreateRuleAsync(Controller, channelId, ["job.succeeded"], hostId: hostId);

        NotificationFixture.Publish(Controller, "job.succeeded", "other-host", new { containerName = "a", project = "shop" });
        NotificationFixture.Publish(Controller, "job.failed", hostId, new { containerName = "b", project = "blog" });
        NotificationFixture.Publish(Controller, "job.succeeded", hostId, new { containerName = "c", labels = new Dictionary<string, string> { ["com.docker.compose.project"] = "shop" } });

        var request = Assert.Single(await receiver.WaitForAsync(1));
        Assert.Equal("Updated c", request.Json.GetProperty("text").GetString());
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task Rules_EveryEventRule_NeverGetsPullProgress()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var hostId = TestNames.Unique("host");
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "slack", new { url = receiver.Url("/s") });
        await NotificationFixture.CreateRuleAsync(Controller, channelId, ["*"], hostId: hostId);

        NotificationFixture.Publish(Controller, "job.progress", hostId, new { jobId = "j1", hostId, step = "pull", progress = 0.4 });
        NotificationFixture.Publish(Controller, "job.progress", hostId, new { jobId = "j1", hostId, step = "pull", progress = 0.8 });
        NotificationFixture.Publish(Controller, "job.failed", hostId, new { containerName = "web", reason = "pull failed" });

        // Events are routed in order: once the job.failed arrived, the progress before it was skipped, not pending.
        Assert.Single(await receiver.WaitForAsync(1));
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Contains("web", Assert.Single(receiver.Requests).Json.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rules_CustomTemplate_RendersPayloadFields()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var hostId = TestNames.Unique("host");
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "gotify", new { url = receiver.Url("/"), token = "t" });
        await NotificationFixture.CreateRuleAsync(Controller, channelId, ["update.available"], hostId: hostId,
            titleTemplate: "[{{host}}] {{container}}", bodyTemplate: "{{image}} -> {{data.newDigest}} at {{at}}");

        NotificationFixture.Publish(Controller, "update.available", hostId, new { hostName = "nas", containerName = "web", image = "nginx:1", newDigest = "sha256:abc" });

        var body = Assert.Single(await receiver.WaitForAsync(1)).Json;
        Assert.Equal("[nas] web", body.GetProperty("title").GetString());
        Assert.Equal("nginx:1 -> sha256:abc at 2026-03-01 12:00:00 UTC", body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Digest_CheckRunWithThreeUpdates_SendsOneMessageWhenTheRunCompletes()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var hostId = TestNames.Unique("host");
        var run = TestNames.Unique("run");
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "discord", new { url = receiver.Url("/d") });
        await NotificationFixture.CreateRuleAsync(Controller, channelId, ["update.available"], hostId: hostId, digest: true);

        foreach (var name in new[] { "web", "db", "cache" })
        {
            NotificationFixture.Publish(Controller, "update.available", hostId, new { hostName = "nas", containerName = name, image = name + ":1", checkRunId = run });
        }

        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Empty(receiver.Requests);

        NotificationFixture.Publish(Controller, "check.completed", null, new { id = run, updateAvailable = 3, errors = 0 });

        var embed = Assert.Single(await receiver.WaitForAsync(1)).Json.GetProperty("embeds")[0];
        Assert.Equal("3 updates available", embed.GetProperty("title").GetString());
        Assert.Equal("• web on nas can be updated (web:1).\n• db on nas can be updated (db:1).\n• cache on nas can be updated (cache:1).", embed.GetProperty("description").GetString());
        await Task.Delay(300, TestContext.Current.CancellationToken);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task SendTest_Channel_DeliversATestMessageAndReportsTheAnswer()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "slack", new { url = receiver.Url("/t") });

        using var ok = await Controller.PostJsonAsync($"/api/v1/notifications/channels/{channelId}/test");
        var result = JsonDocument.Parse(await ok.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.True(result.GetProperty("delivered").GetBoolean());
        Assert.Equal("Harbor test notification", Assert.Single(receiver.Requests).Json.GetProperty("text").GetString());

        receiver.Respond = _ => (403, null);
        using var refused = await Controller.PostJsonAsync($"/api/v1/notifications/channels/{channelId}/test");
        result = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;
        Assert.False(result.GetProperty("delivered").GetBoolean());
        Assert.Equal(403, result.GetProperty("statusCode").GetInt32());
        Assert.Contains("HTTP 403", result.GetProperty("error").GetString());
    }
}
