using System.Text.Json;
using Harbor.Controller.Notifications;

namespace Harbor.Controller.Tests.Notifications;

/// <summary>The job and approval events the engine publishes arrive under the names users route by.</summary>
public sealed class NotificationTypeTests
{
    [Theory]
    [InlineData("job.created", "{}", "job.started")]
    [InlineData("job.finished", """{"outcome":"succeeded"}""", "job.succeeded")]
    [InlineData("job.finished", """{"outcome":"rolled_back"}""", "job.rolled_back")]
    [InlineData("job.finished", """{"outcome":"failed"}""", "job.failed")]
    [InlineData("job.finished", """{"outcome":"refused"}""", "job.failed")]
    [InlineData("approval.created", "{}", "approval.requested")]
    [InlineData("update.available", "{}", "update.available")]
    [InlineData("host.offline", "{}", "host.offline")]
    public void NotificationType_DomainEvent_IsTheRoutableName(string domainType, string payload, string expected)
    {
        using var data = JsonDocument.Parse(payload);

        Assert.Equal(expected, NotificationEvent.NotificationType(domainType, data.RootElement));
    }
}
