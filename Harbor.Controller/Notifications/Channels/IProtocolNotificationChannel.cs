namespace Harbor.Controller.Notifications.Channels;

/// <summary>
/// A channel that speaks its own protocol (SMTP, MQTT). It makes one delivery attempt and says what
/// it came to: delivered only once the server acknowledged the message; otherwise whether trying
/// again can help (a server that is down or busy) or not (a refused login or address). It must use
/// <see cref="NotificationMessage.Id"/> as the message's identity so that a retry is recognisable
/// as the same message. Settings that cannot make a delivery throw <see cref="InvalidOperationException"/>
/// or <see cref="FormatException"/> (a dead letter at once).
/// </summary>
internal interface IProtocolNotificationChannel : INotificationChannel
{
    Task<DeliveryResult> SendAsync(ChannelSettings settings, NotificationMessage message, TimeSpan timeout, CancellationToken cancellationToken);
}
