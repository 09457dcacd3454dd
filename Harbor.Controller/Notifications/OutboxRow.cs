namespace Harbor.Controller.Notifications;

/// <summary>A row of notification_outbox.</summary>
internal sealed class OutboxRow
{
    public string Id { get; init; } = "";

    public string IdempotencyKey { get; init; } = "";

    public string ChannelId { get; init; } = "";

    public string? RuleId { get; init; }

    public string EventType { get; init; } = "";

    public string? HostId { get; init; }

    public string Title { get; init; } = "";

    public string Body { get; init; } = "";

    public string Data { get; init; } = "{}";

    public string OccurredAt { get; init; } = "";

    public string Status { get; init; } = OutboxStatus.Pending;

    public long Attempts { get; init; }

    public string NextAttemptAt { get; init; } = "";

    public string? LastError { get; init; }

    public string CreatedAt { get; init; } = "";

    public string? DeliveredAt { get; init; }
}
