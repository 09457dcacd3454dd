using Harbor.Controller.Tests.Agents;
using Harbor.Protos.Agent.V1;
using Harbor.Testing;

namespace Harbor.Controller.Tests.Events;

/// <summary>The SSE domain event stream through real HTTP, fed by a real agent stream.</summary>
public sealed class EventsApiTests : IAsyncLifetime
{
    private readonly TempDirectory data = new("events");
    private ControllerHost controller = null!;

    public async ValueTask InitializeAsync() => controller = await ControllerHost.StartAsync(data.Path);

    [Fact]
    public async Task ContainerChanges_ArriveAsServerSentEvents_FilteredByType()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        await using var reader = await SseReader.OpenAsync(controller.Api, "/api/v1/events?types=container.*,host.online", null, cts.Token);

        await using var agent = await FakeAgent.ConnectAsync(controller);
        await agent.SendSnapshotAsync(1, FakeAgent.Container("c1", "web"));
        await agent.SendDeltaAsync(2, [FakeAgent.Container("c1", "web", ContainerState.Exited)], []);
        await agent.SendDeltaAsync(3, [], "c1");

        var online = await reader.NextAsync(cts.Token);
        var changed = await reader.NextAsync(cts.Token);
        var removed = await reader.NextAsync(cts.Token);

        Assert.Equal("host.online", online.Event);
        Assert.Equal("container.changed", changed.Event);
        Assert.Contains("\"state\":\"exited\"", changed.Data);
        Assert.Equal("container.removed", removed.Event);
        Assert.True(long.Parse(removed.Id!, System.Globalization.CultureInfo.InvariantCulture) > long.Parse(changed.Id!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task LastEventId_ReplaysWhatWasMissed()
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(20));
        string firstId;
        await using (var reader = await SseReader.OpenAsync(controller.Api, "/api/v1/events?types=container.*", null, cts.Token))
        {
            await using var agent = await FakeAgent.ConnectAsync(controller);
            await agent.SendSnapshotAsync(1);
            await agent.SendDeltaAsync(2, [FakeAgent.Container("c1", "first")], []);
            firstId = (await reader.NextAsync(cts.Token)).Id!;
            // Disconnected from the stream, the client misses this one:
            await agent.SendDeltaAsync(3, [FakeAgent.Container("c2", "missed")], []);
            await Eventually.TrueAsync(async () => (await controller.GetContainersAsync("name=missed")).Count == 1, TimeSpan.FromSeconds(5), "the missed change is stored");
        }

        await using var resumed = await SseReader.OpenAsync(controller.Api, "/api/v1/events?types=container.*", firstId, cts.Token);
        var replayed = await resumed.NextAsync(cts.Token);

        Assert.Contains("\"name\":\"missed\"", replayed.Data);
    }

    public async ValueTask DisposeAsync()
    {
        await controller.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        data.Dispose();
    }
}
