namespace Harbor.Controller.Notifications.Channels;

/// <summary>A channel that only turns a message into an HTTP request; <see cref="NotificationSender"/> sends it and classifies the answer.</summary>
internal interface IHttpNotificationChannel : INotificationChannel
{
    /// <summary>The request that delivers <paramref name="message"/>; <paramref name="now"/> is the send time (signatures).</summary>
    HttpRequestMessage CreateRequest(ChannelSettings settings, NotificationMessage message, DateTimeOffset now);
}
