using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Harbor.Controller.Events;
using Harbor.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>A real controller on a fake clock (backoff is tested by advancing it), with helpers to set up channels and rules through the API.</summary>
public sealed class NotificationFixture : IAsyncLifetime
{
    public const int MaxAttempts = 3;
    public static readonly TimeSpan InitialBackoff = TimeSpan.FromSeconds(10);

    private readonly TempDirectory data = new("notify");

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    public ControllerHost Controller { get; private set; } = null!;

    public static Dictionary<string, string?> Settings => new()
    {
        ["Harbor:Controller:Notifications:MaxAttempts"] = MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Harbor:Controller:Notifications:InitialBackoff"] = InitialBackoff.ToString(),
        ["Harbor:Controller:Notifications:MaxBackoff"] = "00:01:00",
    };

    public async ValueTask InitializeAsync() => Controller = await StartControllerAsync(data.Combine("controller"), Clock);

    public static Task<ControllerHost> StartControllerAsync(string directory, FakeTimeProvider clock) =>
        ControllerHost.StartAsync(directory, clock, Settings);

    public static async Task<string> CreateChannelAsync(ControllerHost controller, string type, object settings, string? name = null)
    {
        using var response = await controller.PostJsonAsync("/api/v1/notifications/channels", new { name = name ?? TestNames.Unique(type), type, settings });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    public static async Task<string> CreateRuleAsync(ControllerHost controller, string channelId, string[] eventTypes, string? hostId = null, string? project = null,
        bool digest = false, string? titleTemplate = null, string? bodyTemplate = null)
    {
        using var response = await controller.PostJsonAsync("/api/v1/notifications/rules",
            new { name = TestNames.Unique("rule"), channelId, eventTypes, hostId, project, digest, titleTemplate, bodyTemplate });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Publishes a domain event the way the controller's features do.</summary>
    public static void Publish(ControllerHost controller, string type, string? hostId, object data) =>
        controller.Services.GetRequiredService<EventHub>().Publish(type, hostId, data);

    /// <summary>The outbox messages with this status, as the API lists them.</summary>
    public static Task<List<JsonElement>> OutboxAsync(ControllerHost controller, string status) =>
        controller.GetJsonAsync<List<JsonElement>>("/api/v1/notifications/outbox?status=" + status);

    public async ValueTask DisposeAsync()
    {
        await Controller.DisposeAsync();
        data.Dispose();
    }
}
