using System.Text.Json;
using Harbor.Controller.Events;

namespace Harbor.Controller.Notifications;

/// <summary>
/// A domain event as notifications see it: the fields rules filter on and templates print, read
/// from the event's JSON payload by their usual names (see docs/notifications.md).
/// </summary>
internal sealed record NotificationEvent(
    string Key,
    string Type,
    DateTimeOffset At,
    string? HostId,
    string? Host,
    string? Container,
    string? Project,
    string? Image,
    string? Reason,
    string? CheckRunId,
    JsonElement Data)
{
    private const string ComposeProjectLabel = "com.docker.compose.project";

    public static NotificationEvent From(DomainEvent domainEvent, string bootId)
    {
        var data = JsonSerializer.SerializeToElement(domainEvent.Data, JsonSerializerOptions.Web);
        return Create($"{bootId}:{domainEvent.Id}", NotificationType(domainEvent.Type, data), domainEvent.At, domainEvent.HostId, data);
    }

    /// <summary>
    /// The name a user routes by: job events become job.started / job.succeeded / job.failed /
    /// job.rolled_back by their outcome, a new approval is approval.requested; others keep their name.
    /// </summary>
    internal static string NotificationType(string domainType, JsonElement data) => domainType switch
    {
        // Restart jobs (after a dependency was updated) are not updates: they have their own names.
        EventTypes.JobCreated when Text(data, "kind") == "restart" => NotificationEventTypes.RestartStarted,
        EventTypes.JobFinished when Text(data, "kind") == "restart" => Text(data, "outcome") == "succeeded"
            ? NotificationEventTypes.RestartSucceeded
            : NotificationEventTypes.RestartFailed,
        EventTypes.JobCreated => NotificationEventTypes.JobStarted,
        EventTypes.ApprovalCreated => NotificationEventTypes.ApprovalRequested,
        EventTypes.JobFinished => Text(data, "outcome") switch
        {
            "succeeded" => NotificationEventTypes.JobSucceeded,
            "rolled_back" => NotificationEventTypes.JobRolledBack,
            _ => NotificationEventTypes.JobFailed,
        },
        _ => domainType,
    };

    public static NotificationEvent Create(string key, string type, DateTimeOffset at, string? hostId, JsonElement data)
    {
        hostId ??= Text(data, "hostId");
        return new NotificationEvent(
            key,
            type,
            at,
            hostId,
            Text(data, "hostName") ?? Text(data, "host") ?? hostId,
            Text(data, "containerName") ?? Text(data, "container") ?? Text(data, "name"),
            Text(data, "project") ?? Text(data, "composeProject") ?? Label(data, ComposeProjectLabel),
            Text(data, "image") ?? Text(data, "targetImage"),
            Text(data, "reason") ?? Text(data, "error") ?? Text(data, "message"),
            Text(data, "checkRunId") ?? Text(data, "runId") ?? (NotificationEventTypes.EndsCheckRun(type) ? Text(data, "id") : null),
            data);
    }

    /// <summary>
/// The value at a dotted path of the payload as text, or null.
/// Key is unique per event and stable for the outbox's lifetime (boot id:event id).
/// </summary>
    public string? Field(string path)
    {
        var current = Data;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current.ValueKind switch
        {
            JsonValueKind.String => current.GetString(),
            JsonValueKind.Null or JsonValueKind.Undefined => null,
            _ => current.GetRawText(),
        };
    }

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string? Label(JsonElement data, string label) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Object
            && labels.TryGetProperty(label, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
