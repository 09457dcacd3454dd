using Dapper;
using Harbor.Controller.Data;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;

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
        var settings = NotificationFixture.Settings;
        // The Install tests' auto containers have updates available: only the button may start jobs, not the automation engine.
        settings["Harbor:Controller:Automation:Enabled"] = "false";
        Controller = await ControllerHost.StartAsync(data.Combine("controller"), null, settings);
    }

    /// <summary>What a check run leaves behind when it found <paramref name="digest"/> for a container (checks are tested in Checks/).</summary>
    public static async Task MarkUpdateAvailableAsync(ControllerHost controller, string hostId, string containerId, string digest)
    {
        await using var db = await controller.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(TestContext.Current.CancellationToken);
        await db.ExecuteAsync(
            """
            INSERT INTO check_runs (id, triggered_by, scope, status, created_at) VALUES (@run, 'api', 'all', 'completed', '2026-01-01T00:00:00.0000000Z');
            INSERT INTO container_checks (host_id, container_id, status, remote_digest, checked_at, check_run_id)
            VALUES (@host, @containerId, 'update-available', @digest, '2026-01-01T00:00:00.0000000Z', @run);
            """,
            new { host = hostId, containerId, run = TestNames.Unique("run"), digest });
    }

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        await Broker.DisposeAsync();
        data.Dispose();
    }
}
