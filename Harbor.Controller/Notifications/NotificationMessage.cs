using System.Text.Json;

namespace Harbor.Controller.Notifications;

/// <summary>
/// One rendered notification on its way to one channel.
/// Id is the outbox id: the same on every retry (it is the webhook-id receivers deduplicate on).
/// </summary>
internal sealed record NotificationMessage(string Id, string EventType, string Title, string Body, DateTimeOffset OccurredAt, string? HostId, JsonElement Data)
{
    /// <summary>info, success, warning or error: colours and priorities on channels that have them.</summary>
    public string Severity => EventType switch
    {
        _ when EventType.Contains("failed", StringComparison.Ordinal) || EventType.Contains("error", StringComparison.Ordinal)
            || EventType == NotificationEventTypes.HostOffline => "error",
        _ when EventType.Contains("rolled_back", StringComparison.Ordinal) || EventType.Contains("rate_limit", StringComparison.Ordinal)
            || EventType.StartsWith("approval.", StringComparison.Ordinal) => "warning",
        _ when EventType.Contains("succeeded", StringComparison.Ordinal) || EventType == NotificationEventTypes.HostOnline => "success",
        _ => "info",
    };
}
