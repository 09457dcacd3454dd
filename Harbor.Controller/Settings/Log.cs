namespace Harbor.Controller.Settings;

internal static partial class Log
{
    [LoggerMessage(11001, LogLevel.Information, "Retention removed {Jobs} finished jobs, {JobEvents} job events and {Audit} audit events", EventName = "RetentionPurged")]
    public static partial void RetentionPurged(ILogger logger, int jobs, int jobEvents, int audit);

    [LoggerMessage(11002, LogLevel.Warning, "Retention could not purge old history; it tries again in an hour", EventName = "RetentionFailed")]
    public static partial void RetentionFailed(ILogger logger, Exception exception);
}
