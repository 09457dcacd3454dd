namespace Harbor.Controller.Notifications.Channels;

/// <summary>
/// One kind of destination. A channel only turns a message into an HTTP request; sending, retries,
/// backoff and the outbox are the dispatcher's, the same for every channel.
/// </summary>
internal interface INotificationChannel
{
    /// <summary>The type name in the API and the database, e.g. "slack".</summary>
    string Type { get; }

    IReadOnlyList<ChannelField> Fields { get; }

    /// <summary>The request that delivers <paramref name="message"/>; <paramref name="now"/> is the send time (signatures).</summary>
    HttpRequestMessage CreateRequest(ChannelSettings settings, NotificationMessage message, DateTimeOffset now);
}
