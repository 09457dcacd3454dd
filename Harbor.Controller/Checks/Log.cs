namespace Harbor.Controller.Checks;

/// <summary>Update detection log events. Event ids 4xxx.</summary>
internal static partial class Log
{
    [LoggerMessage(4001, LogLevel.Information, "Check {CheckId} ({TriggeredBy}, {Scope}) finished in {Duration}: {Containers} containers, {References} references, {UpToDate} up to date, {UpdateAvailable} with updates, {Errors} errors, {Requests} registry requests", EventName = "CheckCompleted")]
    public static partial void CheckCompleted(ILogger logger, string checkId, string triggeredBy, string scope, TimeSpan duration, int containers, int references, int upToDate, int updateAvailable, int errors, int requests);

    [LoggerMessage(4002, LogLevel.Error, "Check {CheckId} failed", EventName = "CheckFailed")]
    public static partial void CheckFailed(ILogger logger, Exception exception, string checkId);

    [LoggerMessage(4003, LogLevel.Warning, "{Count} check runs were left unfinished by the previous controller and are marked failed", EventName = "ChecksAbandoned")]
    public static partial void ChecksAbandoned(ILogger logger, int count);

    [LoggerMessage(4004, LogLevel.Information, "Webhook from {Source} for {Repositories}: started check {CheckId}", EventName = "WebhookAccepted")]
    public static partial void WebhookAccepted(ILogger logger, string source, string repositories, string? checkId);

    [LoggerMessage(4005, LogLevel.Warning, "Rejected a {Source} webhook: {Reason}", EventName = "WebhookRejected")]
    public static partial void WebhookRejected(ILogger logger, string source, string reason);

    [LoggerMessage(4006, LogLevel.Warning, "No webhook secret configured (Harbor:Controller:Webhooks:Secret); webhooks must present the generated secret in {Path}", EventName = "GeneratedWebhookSecret")]
    public static partial void GeneratedWebhookSecret(ILogger logger, string path);

    [LoggerMessage(4007, LogLevel.Warning, "The webhook secret was rotated by {RotatedBy}; the previous secret is refused from now on", EventName = "WebhookSecretRotated")]
    public static partial void WebhookSecretRotated(ILogger logger, string rotatedBy);

    [LoggerMessage(4008, LogLevel.Warning, "Harbor:Controller:Webhooks:Secret is ignored: an admin rotated the webhook secret at {RotatedAt}, and the rotated secret is used", EventName = "ConfiguredWebhookSecretIgnored")]
    public static partial void ConfiguredWebhookSecretIgnored(ILogger logger, string rotatedAt);

    [LoggerMessage(4009, LogLevel.Error, "The rotated webhook secret cannot be decrypted (data-protection keys missing?); the configured or generated secret is used until the secret is rotated again", EventName = "RotatedWebhookSecretUnreadable")]
    public static partial void RotatedWebhookSecretUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(4010, LogLevel.Information, "Own check schedules due for {Count} container(s): started check {CheckId}", EventName = "ScheduledContainersCheck")]
    public static partial void ScheduledContainersCheck(ILogger logger, int count, string checkId);

    [LoggerMessage(4011, LogLevel.Warning, "The check queue is full; {Count} container(s) whose own check schedule is due wait for the next pass", EventName = "ScheduledContainersQueueFull")]
    public static partial void ScheduledContainersQueueFull(ILogger logger, int count);

    [LoggerMessage(4012, LogLevel.Error, "Reading the containers' own check schedules failed; trying again in a minute", EventName = "CheckSchedulesFailed")]
    public static partial void CheckSchedulesFailed(ILogger logger, Exception exception);
}
