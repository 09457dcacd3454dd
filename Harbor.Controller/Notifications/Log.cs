namespace Harbor.Controller.Notifications;

/// <summary>Notification log events (6xxx). Channel URLs and secrets never appear in them: channels are named by id and type.</summary>
internal static partial class Log
{
    [LoggerMessage(6001, LogLevel.Debug, "Queued {EventType} for channel {ChannelId} (rule {Rule})", EventName = "NotificationQueued")]
    public static partial void Enqueued(ILogger logger, string eventType, string rule, string channelId);

    [LoggerMessage(6002, LogLevel.Information, "Delivered notification {MessageId} ({EventType}) to {ChannelType} channel {ChannelId} after {Attempts} attempt(s)", EventName = "NotificationDelivered")]
    public static partial void Delivered(ILogger logger, string messageId, string eventType, string channelType, string channelId, long attempts);

    [LoggerMessage(6003, LogLevel.Warning, "Notification {MessageId} to {ChannelType} channel {ChannelId} failed (attempt {Attempts}): {Error}; retrying at {RetryAt}", EventName = "NotificationRetry")]
    public static partial void Retrying(ILogger logger, string messageId, string channelType, string channelId, long attempts, string error, DateTimeOffset retryAt);

    [LoggerMessage(6004, LogLevel.Warning, "Notification {MessageId} to channel {ChannelId} is a dead letter after {Attempts} attempt(s): {Error}", EventName = "NotificationDeadLetter")]
    public static partial void DeadLetter(ILogger logger, string messageId, string channelId, long attempts, string error);

    [LoggerMessage(6005, LogLevel.Error, "Routing event {EventType} #{EventId} to notifications failed", EventName = "NotificationRoutingFailed")]
    public static partial void RoutingFailed(ILogger logger, Exception exception, string eventType, long eventId);

    [LoggerMessage(6006, LogLevel.Warning, "The notification router fell behind the event stream; resubscribed after event #{EventId}", EventName = "NotificationRouterResubscribed")]
    public static partial void RouterResubscribed(ILogger logger, long eventId);

    [LoggerMessage(6007, LogLevel.Error, "The notification dispatcher failed; trying again shortly", EventName = "NotificationDispatcherFailed")]
    public static partial void DispatcherFailed(ILogger logger, Exception exception);

    [LoggerMessage(6008, LogLevel.Information, "Notification channel {ChannelId} ({ChannelType}) {Change}", EventName = "NotificationChannelChanged")]
    public static partial void ChannelChanged(ILogger logger, string channelId, string channelType, string change);

    [LoggerMessage(6009, LogLevel.Information, "Home Assistant discovery connected on MQTT channel {ChannelId}", EventName = "DiscoveryConnected")]
    public static partial void DiscoveryConnected(ILogger logger, string channelId);

    [LoggerMessage(6010, LogLevel.Debug, "Home Assistant discovery on MQTT channel {ChannelId}: {Published} entities published, {Removed} removed", EventName = "DiscoveryPublished")]
    public static partial void DiscoveryPublished(ILogger logger, string channelId, int published, int removed);

    [LoggerMessage(6011, LogLevel.Warning, "Home Assistant discovery on MQTT channel {ChannelId} failed: {Error}; trying again later", EventName = "DiscoveryFailed")]
    public static partial void DiscoveryFailed(ILogger logger, string channelId, string error);

    [LoggerMessage(6012, LogLevel.Error, "A Home Assistant discovery pass failed; trying again at the next one", EventName = "DiscoveryPassFailed")]
    public static partial void DiscoveryPassFailed(ILogger logger, Exception exception);

    [LoggerMessage(6013, LogLevel.Warning, "Home Assistant install command on MQTT channel {ChannelId} ({Topic}) ignored: {Reason}", EventName = "InstallIgnored")]
    public static partial void InstallIgnored(ILogger logger, string channelId, string topic, string reason);

    [LoggerMessage(6014, LogLevel.Warning, "Home Assistant install of {ContainerName} on host {HostId} (MQTT channel {ChannelId}) refused: {Reason}", EventName = "InstallRefused")]
    public static partial void InstallRefused(ILogger logger, string channelId, string hostId, string containerName, string reason);

    [LoggerMessage(6015, LogLevel.Information, "Home Assistant install of {ContainerName} on host {HostId} (MQTT channel {ChannelId}): started job {JobId} to {Digest}", EventName = "InstallStarted")]
    public static partial void InstallStarted(ILogger logger, string channelId, string hostId, string containerName, string jobId, string digest);

    [LoggerMessage(6016, LogLevel.Information, "Home Assistant install of {ContainerName} on host {HostId} (MQTT channel {ChannelId}): {Detail}", EventName = "InstallApprovalRequested")]
    public static partial void InstallApprovalRequested(ILogger logger, string channelId, string hostId, string containerName, string detail);

    [LoggerMessage(6017, LogLevel.Warning, "Home Assistant install commands arrive faster than Harbor handles them; dropped one on MQTT channel {ChannelId} ({Topic})", EventName = "InstallQueueFull")]
    public static partial void InstallQueueFull(ILogger logger, string channelId, string topic);

    [LoggerMessage(6018, LogLevel.Error, "Handling a Home Assistant install command on MQTT channel {ChannelId} failed", EventName = "InstallFailed")]
    public static partial void InstallFailed(ILogger logger, Exception exception, string channelId);
}
