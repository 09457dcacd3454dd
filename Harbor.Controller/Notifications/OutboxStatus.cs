namespace Harbor.Controller.Notifications;

/// <summary>Where an outbox message stands.</summary>
internal static class OutboxStatus
{
    /// <summary>Waiting for its (next) attempt.</summary>
    public const string Pending = "pending";

    /// <summary>The receiver acknowledged it (2xx); it is never sent again.</summary>
    public const string Delivered = "delivered";

    /// <summary>Gave up: out of attempts, a permanent error, or its channel is gone. Retry through the API.</summary>
    public const string Dead = "dead";
}
