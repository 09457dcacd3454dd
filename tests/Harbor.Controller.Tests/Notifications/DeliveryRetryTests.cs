using System.Text.Json;
using Dapper;
using Harbor.Controller.Data;
using Harbor.Controller.Tests.Checks;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>Failed deliveries on the fake clock: Retry-After honoured, jittered backoff, attempts exhausted → dead letter, retry from the API.</summary>
[Collection(nameof(OwnControllerTests))]
public sealed class DeliveryRetryTests(NotificationFixture stack) : IClassFixture<NotificationFixture>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    private ControllerHost Controller => stack.Controller;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private async Task<string> RouteWebhookAsync(RecordingReceiver receiver)
    {
        var hostId = TestNames.Unique("host");
        var channelId = await NotificationFixture.CreateChannelAsync(Controller, "webhook", new { url = receiver.Url("/hook"), secret = "retry-tests-secret-0123" });
        await NotificationFixture.CreateRuleAsync(Controller, channelId, ["job.*"], hostId: hostId);
        return hostId;
    }

    /// <summary>Moves the clock on in steps until the receiver has seen <paramref name="count"/> requests (timers are set between steps).</summary>
    private async Task AdvanceUntilRequestsAsync(RecordingReceiver receiver, int count, TimeSpan step)
    {
        for (var i = 0; i < 200 && receiver.Requests.Count < count; i++)
        {
            stack.Clock.Advance(step);
            await Task.Delay(30, Token);
        }

        await receiver.WaitForAsync(count, TimeSpan.FromSeconds(5));
    }

    private Task<JsonElement> WaitForAttemptsAsync(string status, string messageId, int attempts) =>
        Eventually.GetAsync(
            async () => (await NotificationFixture.OutboxAsync(Controller, status)).FirstOrDefault(m => m.GetProperty("id").GetString() == messageId),
            m => m.ValueKind == JsonValueKind.Object && m.GetProperty("attempts").GetInt32() == attempts,
            TimeSpan.FromSeconds(5),
            $"message {messageId} is {status} after {attempts} attempt(s)");

    [Fact]
    public async Task TooManyRequests_RetryAfter_NextAttemptWaitsExactlyThatLong()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Respond = r => receiver.Requests.Count == 1 ? (429, new Dictionary<string, string> { ["Retry-After"] = "120" }) : (200, null);
        var hostId = await RouteWebhookAsync(receiver);

        NotificationFixture.Publish(Controller, "job.failed", hostId, new { containerName = "web" });
        var first = Assert.Single(await receiver.WaitForAsync(1));
        var id = first.Header("webhook-id")!;
        var pending = await WaitForAttemptsAsync("pending", id, 1);
        Assert.Contains("HTTP 429", pending.GetProperty("lastError").GetString());
        Assert.Equal(stack.Clock.GetUtcNow().AddSeconds(120), pending.GetProperty("nextAttemptAt").GetDateTimeOffset());

        stack.Clock.Advance(TimeSpan.FromSeconds(119));
        await Task.Delay(Quiet, Token);
        Assert.Single(receiver.Requests);

        await AdvanceUntilRequestsAsync(receiver, 2, TimeSpan.FromSeconds(1));
        Assert.Equal(id, receiver.Requests[1].Header("webhook-id"));
        await WaitForAttemptsAsync("delivered", id, 2);
    }

    [Fact]
    public async Task ServerErrors_AttemptsExhausted_DeadLetterThatRetryFromTheApiDelivers()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Respond = _ => (503, null);
        var hostId = await RouteWebhookAsync(receiver);

        NotificationFixture.Publish(Controller, "job.rolled_back", hostId, new { containerName = "web", reason = "unhealthy" });
        var id = Assert.Single(await receiver.WaitForAsync(1)).Header("webhook-id")!;
        await WaitForAttemptsAsync("pending", id, 1);

        // Backoff after attempt n lies between half and all of InitialBackoff·2^(n-1): never before 5 s, then 10 s.
        stack.Clock.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Delay(Quiet, Token);
        Assert.Single(receiver.Requests);
        await AdvanceUntilRequestsAsync(receiver, 2, TimeSpan.FromSeconds(1));
        await WaitForAttemptsAsync("pending", id, 2);
        stack.Clock.Advance(TimeSpan.FromSeconds(9.9));
        await Task.Delay(Quiet, Token);
        Assert.Equal(2, receiver.Requests.Count);
        await AdvanceUntilRequestsAsync(receiver, 3, TimeSpan.FromSeconds(1));

        var dead = await WaitForAttemptsAsync("dead", id, NotificationFixture.MaxAttempts);
        Assert.Contains("HTTP 503", dead.GetProperty("lastError").GetString());
        var listed = await Controller.GetJsonAsync<List<JsonElement>>("/api/v1/notifications/dead-letters");
        Assert.Contains(listed, m => m.GetProperty("id").GetString() == id && m.GetProperty("title").GetString() == "Update rolled back: web");

        stack.Clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(Quiet, Token);
        Assert.Equal(3, receiver.Requests.Count);

        receiver.Respond = _ => (200, null);
        using var retry = await Controller.PostJsonAsync($"/api/v1/notifications/dead-letters/{id}/retry");
        Assert.Equal(System.Net.HttpStatusCode.Accepted, retry.StatusCode);
        await receiver.WaitForAsync(4);
        Assert.Equal(id, receiver.Requests[3].Header("webhook-id"));
        await WaitForAttemptsAsync("delivered", id, 1);
        Assert.DoesNotContain(await Controller.GetJsonAsync<List<JsonElement>>("/api/v1/notifications/dead-letters"), m => m.GetProperty("id").GetString() == id);

        var metrics = await Controller.Api.GetStringAsync("/metrics", Token);
        Assert.Contains("harbor_notification_failures_total{channel_type=\"webhook\",outcome=\"dead\"}", metrics);
        Assert.Contains("harbor_notification_failures_total{channel_type=\"webhook\",outcome=\"retry\"}", metrics);
        Assert.Contains("harbor_notification_deliveries_total{channel_type=\"webhook\"}", metrics);
        Assert.Contains("harbor_notification_outbox_messages{status=\"pending\"}", metrics);
    }

    [Fact]
    public async Task ClientError_NotFound_DeadLetterAtOnceWithoutRetrying()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.Respond = _ => (404, null);
        var hostId = await RouteWebhookAsync(receiver);

        NotificationFixture.Publish(Controller, "job.failed", hostId, new { containerName = "web" });
        var id = Assert.Single(await receiver.WaitForAsync(1)).Header("webhook-id")!;
        var dead = await WaitForAttemptsAsync("dead", id, 1);
        Assert.Contains("HTTP 404", dead.GetProperty("lastError").GetString());

        stack.Clock.Advance(TimeSpan.FromMinutes(10));
        await Task.Delay(Quiet, Token);
        Assert.Single(receiver.Requests);
    }

    [Fact]
    public async Task UnusableStoredSettings_DeadLetterAtOnceWhileOtherMessagesStillGoOut()
    {
        await using var receiver = await RecordingReceiver.StartAsync();
        var hostId = TestNames.Unique("host");
        var broken = await NotificationFixture.CreateChannelAsync(Controller, "ntfy", new { url = receiver.Url("/"), topic = "t" });
        var healthy = await NotificationFixture.CreateChannelAsync(Controller, "gotify", new { url = receiver.Url("/"), token = "t" });
        await NotificationFixture.CreateRuleAsync(Controller, broken, ["job.*"], hostId: hostId);
        await NotificationFixture.CreateRuleAsync(Controller, healthy, ["job.*"], hostId: hostId);
        await using (var connection = await Controller.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(Token))
        {
            // What an older version or a hand edit could leave behind: a priority that is not a number.
            await connection.ExecuteAsync("UPDATE notification_channels SET settings = @settings WHERE id = @broken",
                new { settings = $"{{\"url\":\"{receiver.Url("/")}\",\"topic\":\"t\",\"priority\":\"high\"}}", broken });
        }

        NotificationFixture.Publish(Controller, "job.failed", hostId, new { containerName = "web" });

        Assert.Equal("/message", Assert.Single(await receiver.WaitForAsync(1)).Path);
        var dead = await Eventually.GetAsync(() => Controller.GetJsonAsync<List<JsonElement>>("/api/v1/notifications/dead-letters"),
            list => list.Any(m => m.GetProperty("channelId").GetString() == broken), TimeSpan.FromSeconds(5), "the broken channel's message is a dead letter");
        Assert.Contains("settings cannot make a request", dead.First(m => m.GetProperty("channelId").GetString() == broken).GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task RetryDeadLetter_UnknownId_IsNotFoundProblem()
    {
        using var response = await Controller.PostJsonAsync("/api/v1/notifications/dead-letters/nope/retry");

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
