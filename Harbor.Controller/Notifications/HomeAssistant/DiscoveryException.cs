namespace Harbor.Controller.Notifications.HomeAssistant;

/// <summary>Discovery publishing failed for a reason worth a log line (the message is safe to log: no secrets).</summary>
internal sealed class DiscoveryException(string message, Exception? inner) : Exception(message, inner);
