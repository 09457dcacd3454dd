namespace Harbor.Controller.Notifications;

/// <summary>
/// A message to store in the outbox.
/// IdempotencyKey is "event key:channel id", so the same event reaches a channel once; Data is the event's JSON payload.
/// </summary>
internal sealed record OutboxEntry(string IdempotencyKey, string ChannelId, string? RuleId, string EventType, string? HostId, string Title, string Body, string Data, DateTimeOffset OccurredAt);
