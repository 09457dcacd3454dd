using System.Text.Json;
using Harbor.Controller.Tests.Checks;
using Harbor.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>The outbox across a controller restart: what was queued is delivered after it, what was acknowledged is not sent again.</summary>
[Collection(nameof(OwnControllerTests))]
public sealed class OutboxRestartTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Restart_BetweenEnqueueAndDelivery_DeliveredOnceAfterwardAndAcknowledgedNotResent()
    {
        using var data = new TempDirectory("notify-restart");
        await using var receiver = await RecordingReceiver.StartAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var hostId = TestNames.Unique("host");

        string acknowledgedId, queuedId;
        await using (var first = await NotificationFixture.StartControllerAsync(data.Combine("controller"), clock))
        {
            var channelId = await NotificationFixture.CreateChannelAsync(first, "webhook", new { url = receiver.Url("/hook"), secret = "restart-tests-secret-0123" });
            await NotificationFixture.CreateRuleAsync(first, channelId, ["job.*"], hostId: hostId);

            NotificationFixture.Publish(first, "job.succeeded", hostId, new { containerName = "acknowledged" });
            acknowledgedId = Assert.Single(await receiver.WaitForAsync(1)).Header("webhook-id")!;
            await Eventually.TrueAsync(async () => (await NotificationFixture.OutboxAsync(first, "delivered")).Any(m => m.GetProperty("id").GetString() == acknowledgedId),
                TimeSpan.FromSeconds(5), "the first message is acknowledged");

            // The receiver is down when the second message is queued: it stays in the outbox, unacknowledged.
            receiver.Respond = _ => (503, null);
            NotificationFixture.Publish(first, "job.failed", hostId, new { containerName = "queued" });
            queuedId = (await receiver.WaitForAsync(2))[1].Header("webhook-id")!;
            await Eventually.TrueAsync(async () => (await NotificationFixture.OutboxAsync(first, "pending")).Any(m => m.GetProperty("id").GetString() == queuedId && m.GetProperty("attempts").GetInt32() == 1),
                TimeSpan.FromSeconds(5), "the second message waits for a retry");
        }

        receiver.Respond = _ => (200, null);
        var restartedClock = new FakeTimeProvider(clock.GetUtcNow());
        await using var second = await NotificationFixture.StartControllerAsync(data.Combine("controller"), restartedClock);
        for (var i = 0; i < 200 && receiver.Requests.Count < 3; i++)
        {
            restartedClock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(30, Token);
        }

        await receiver.WaitForAsync(3);
        restartedClock.Advance(TimeSpan.FromMinutes(30));
        await Task.Delay(500, Token);

        var ids = receiver.Requests.Select(r => r.Header("webhook-id")).ToList();
        Assert.Equal(3, ids.Count);
        Assert.Equal(1, ids.Count(id => id == acknowledgedId));
        Assert.Equal(2, ids.Count(id => id == queuedId));
        Assert.Equal("queued", JsonDocument.Parse(receiver.Requests[2].Body).RootElement.GetProperty("data").GetProperty("event").GetProperty("containerName").GetString());
        var delivered = await NotificationFixture.OutboxAsync(second, "delivered");
        Assert.Equal(2, delivered.Single(m => m.GetProperty("id").GetString() == queuedId).GetProperty("attempts").GetInt32());
        Assert.Empty(await NotificationFixture.OutboxAsync(second, "pending"));
    }

    [Fact]
    public async Task Restart_WhileTheReceiverHoldsTheRequest_UnacknowledgedMessageIsDeliveredAfterRestart()
    {
        using var data = new TempDirectory("notify-inflight");
        await using var receiver = await RecordingReceiver.StartAsync();
        receiver.AnswerDelay = TimeSpan.FromMinutes(5);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        var hostId = TestNames.Unique("host");

        string id;
        await using (var first = await NotificationFixture.StartControllerAsync(data.Combine("controller"), clock))
        {
            var channelId = await NotificationFixture.CreateChannelAsync(first, "webhook", new { url = receiver.Url("/hook"), secret = "inflight-tests-secret-0123" });
            await NotificationFixture.CreateRuleAsync(first, channelId, ["host.*"], hostId: hostId);
            NotificationFixture.Publish(first, "host.offline", hostId, new { hostId });
            id = Assert.Single(await receiver.WaitForAsync(1)).Header("webhook-id")!;
        }

        // The controller stopped before the receiver answered: the attempt was never acknowledged, so it is not lost.
        receiver.AnswerDelay = TimeSpan.Zero;
        await using var second = await NotificationFixture.StartControllerAsync(data.Combine("controller"), new FakeTimeProvider(clock.GetUtcNow()));
        await receiver.WaitForAsync(2);
        await Eventually.TrueAsync(async () => (await NotificationFixture.OutboxAsync(second, "delivered")).Any(m => m.GetProperty("id").GetString() == id),
            TimeSpan.FromSeconds(5), "the message is delivered after the restart");
        await Task.Delay(300, Token);
        Assert.Equal([id, id], receiver.Requests.Select(r => r.Header("webhook-id")));
        Assert.Equal("Host offline: " + hostId, JsonDocument.Parse(receiver.Requests[1].Body).RootElement.GetProperty("data").GetProperty("title").GetString());
    }
}
