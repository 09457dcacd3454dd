using Harbor.Testing;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>A real mosquitto and a real controller (real clock: discovery runs on inventory events), shared by the MQTT tests.</summary>
public sealed class MqttFixture : IAsyncLifetime
{
    private readonly TempDirectory data = new("notify-mqtt");

    public ControllerHost Controller { get; private set; } = null!;

    public MqttBroker Broker { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Broker = await MqttBroker.StartAsync();
        Controller = await ControllerHost.StartAsync(data.Combine("controller"), null, NotificationFixture.Settings);
    }

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await Broker.DisposeAsync();
        data.Dispose();
    }
}
